using System.Buffers.Binary;
using System.Globalization;

namespace Llama4.Core.Inference;

/// <summary>
/// Recognises the image formats llama.cpp's mtmd decodes (through stb_image) from their bytes, reads the pixel size from
/// the header and checks the file's structure, all before mtmd sees the bytes: mtmd runs <c>ffprobe</c> from PATH on
/// any bytes its decoder refuses (an unknown format, and also a damaged PNG), so those must never reach it.
/// </summary>
internal static class ImageSniffer
{
    /// <summary>The formats accepted, for messages.</summary>
    public const string SupportedFormats = "PNG, JPEG, GIF and BMP";

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Identifies and checks an encoded image.</summary>
    /// <param name="data">The encoded bytes.</param>
    /// <returns>The format and pixel size.</returns>
    /// <exception cref="Llama4ImageException">The format is not supported, or the bytes are damaged.</exception>
    public static ImageHeader Inspect(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngMagic))
        {
            return Png(data);
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return Jpeg(data);
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return Gif(data);
        }

        if (data.StartsWith("BM"u8))
        {
            return Bmp(data);
        }

        throw new Llama4ImageException(
            Llama4ImageProblem.UnsupportedFormat,
            $"The image is not in a supported format (its first bytes are {Convert.ToHexString(data[..Math.Min(8, data.Length)])}); the engine reads {SupportedFormats}. Convert the image to PNG or JPEG.");
    }

    private static ImageHeader Png(ReadOnlySpan<byte> data)
    {
        // Walk every chunk and check its CRC: a damaged or truncated PNG makes stb fail, and mtmd then runs ffprobe.
        int position = 8;
        int width = 0, height = 0;
        bool sawHeader = false;
        while (true)
        {
            if (data.Length - position < 12)
            {
                throw Corrupt("png", "it ends before its IEND chunk (truncated)");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            if (length > int.MaxValue || length > (uint)(data.Length - position - 12))
            {
                throw Corrupt("png", Format($"a chunk at byte {position} claims {length} bytes, more than the file holds (truncated)"));
            }

            ReadOnlySpan<byte> typeAndBody = data.Slice(position + 4, 4 + (int)length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(data[(position + 8 + (int)length)..]);
            if (Crc32(typeAndBody) != crc)
            {
                throw Corrupt("png", Format($"the chunk at byte {position} fails its CRC check (damaged)"));
            }

            ReadOnlySpan<byte> type = typeAndBody[..4];
            if (!sawHeader)
            {
                if (!type.SequenceEqual("IHDR"u8) || length < 8)
                {
                    throw Corrupt("png", "its first chunk is not IHDR");
                }

                width = checked((int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(typeAndBody[4..]), int.MaxValue));
                height = checked((int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(typeAndBody[8..]), int.MaxValue));
                sawHeader = true;
            }

            if (type.SequenceEqual("IEND"u8))
            {
                return Sized("png", width, height);
            }

            position += 12 + (int)length;
        }
    }

    private static ImageHeader Jpeg(ReadOnlySpan<byte> data)
    {
        // Segments up to the start-of-frame header (the size), and an end-of-image marker at the end.
        int position = 2;
        int width = 0, height = 0;
        while (position + 4 <= data.Length)
        {
            if (data[position] != 0xFF)
            {
                throw Corrupt("jpeg", Format($"byte {position} should start a marker"));
            }

            byte marker = data[position + 1];
            if (marker == 0xFF)
            {
                position++;
                continue;
            }

            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                position += 2;
                continue;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 2)..]);
            if (length < 2 || position + 2 + length > data.Length)
            {
                throw Corrupt("jpeg", Format($"the segment at byte {position} runs past the end of the file (truncated)"));
            }

            bool startOfFrame = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (startOfFrame)
            {
                if (length < 7)
                {
                    throw Corrupt("jpeg", "its frame header is too short");
                }

                height = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 5)..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 7)..]);
                break;
            }

            if (marker == 0xDA)
            {
                break;
            }

            position += 2 + length;
        }

        if (width == 0 || height == 0)
        {
            throw Corrupt("jpeg", "it has no frame header with the image size before its scan data");
        }

        // Some writers append data after the end-of-image marker; a file cut short has none at all.
        if (data[position..].IndexOf([(byte)0xFF, (byte)0xD9]) < 0)
        {
            throw Corrupt("jpeg", "it has no end-of-image marker (truncated)");
        }

        return Sized("jpeg", width, height);
    }

    private static ImageHeader Gif(ReadOnlySpan<byte> data)
    {
        if (data.Length < 14)
        {
            throw Corrupt("gif", "it ends inside its header (truncated)");
        }

        if (data.TrimEnd((byte)0)[^1] != 0x3B)
        {
            throw Corrupt("gif", "it does not end with the GIF trailer byte (truncated)");
        }

        return Sized("gif", BinaryPrimitives.ReadUInt16LittleEndian(data[6..]), BinaryPrimitives.ReadUInt16LittleEndian(data[8..]));
    }

    private static ImageHeader Bmp(ReadOnlySpan<byte> data)
    {
        if (data.Length < 26)
        {
            throw Corrupt("bmp", "it ends inside its header (truncated)");
        }

        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(data[14..]);
        if (pixelOffset >= (uint)data.Length || headerSize < 12 || 14 + headerSize > (uint)data.Length)
        {
            throw Corrupt("bmp", "its header points past the end of the file (truncated)");
        }

        int width, height;
        if (headerSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(data[18..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(data[20..]);
        }
        else
        {
            width = Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(data[18..]));
            height = Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(data[22..]));
        }

        return Sized("bmp", width, height);
    }

    private static ImageHeader Sized(string format, int width, int height) =>
        width > 0 && height > 0
            ? new ImageHeader(format, width, height)
            : throw Corrupt(format, Format($"its header gives a size of {width}x{height} pixels"));

    private static Llama4ImageException Corrupt(string format, string detail) => new(
        Llama4ImageProblem.Corrupt,
        $"The {format.ToUpperInvariant()} image is damaged: {detail}. Send the complete, valid file.");

    /// <summary>The CRC-32 (ISO-HDLC, as PNG uses it) of <paramref name="bytes"/>.</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
