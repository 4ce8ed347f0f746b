using System.Buffers.Binary;
using System.IO.Compression;

namespace Llama4.Testing;

/// <summary>Small encoded images written in code (deterministic from a seed), and damaged or foreign files for error tests.</summary>
public static class TestImages
{
    /// <summary>A 1x1 GIF (the classic single-pixel file).</summary>
    public static byte[] Gif1x1 { get; } =
    [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00,
        0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02,
        0x02, 0x44, 0x01, 0x00, 0x3B,
    ];

    /// <summary>
    /// A 48x40 baseline JPEG (a colour gradient, quality 75), encoded once by libjpeg-turbo's cjpeg and kept as bytes:
    /// the BCL has no JPEG encoder.
    /// </summary>
    public static byte[] Jpeg48x40 { get; } = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAoADADASIAAhEBAxEB/8QAGAABAQEBAQAAAAAAAAAAAAAABAUABgf/xAAZEAADAQEBAAAAAAAAAAAAAAAAAwRhARH/xAAaAQACAgMAAAAAAAAAAAAAAAAEBgUHAQID/8QAGhEAAwEBAQEAAAAAAAAAAAAAAAIEAQMSIf/aAAwDAQACEQMRAD8A8TTHg9MeFBMeD0x4ZRjSasnJjwemPCgmPB6Y8CUYYJqyemPByY8KKY8HJjwKRhgmrOVTHg5MeFFMeDkx4QqMUvNWT0x4PTHhQTHg9MeBSMMM1ZPTHg5MeFBMeD0x4EowwTVnKpjwcmPDGIZNKdm6MPTHg9MeGMFJowTdGHJjweqTnOe955zhjHf1qru4MMvRvh//2Q==");

    /// <summary>The first bytes of a WebP file (a format llama.cpp's image decoder does not read).</summary>
    public static byte[] WebP { get; } = [.. "RIFF"u8, 0x24, 0, 0, 0, .. "WEBPVP8 "u8, .. new byte[24]];

    /// <summary>An RGB PNG of the given size with pixels drawn from <paramref name="seed"/>.</summary>
    public static byte[] Png(int width, int height, int seed = 1)
    {
        var raw = new byte[height * ((width * 3) + 1)];
        var random = new Random(seed);
        for (var y = 0; y < height; y++)
        {
            var row = y * ((width * 3) + 1);
            raw[row] = 0; // filter: none
            random.NextBytes(raw.AsSpan(row + 1, width * 3));
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return PngFile(width, height, compressed.ToArray());
    }

    /// <summary>A PNG whose header claims <paramref name="width"/> x <paramref name="height"/> pixels but carries almost no data (valid checksums).</summary>
    public static byte[] PngHeaderOnly(int width, int height) => PngFile(width, height, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);

    /// <summary>A 24-bit BMP of the given size with pixels drawn from <paramref name="seed"/>.</summary>
    public static byte[] Bmp(int width, int height, int seed = 1)
    {
        var stride = ((width * 3) + 3) & ~3;
        var file = new byte[54 + (stride * height)];
        "BM"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(34), stride * height);
        new Random(seed).NextBytes(file.AsSpan(54));
        return file;
    }

    private static byte[] PngFile(int width, int height, byte[] idat)
    {
        using var file = new MemoryStream();
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(file, "IHDR"u8, header);
        WriteChunk(file, "IDAT"u8, idat);
        WriteChunk(file, "IEND"u8, []);
        return file.ToArray();
    }

    private static void WriteChunk(Stream file, ReadOnlySpan<byte> type, ReadOnlySpan<byte> body)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, body.Length);
        file.Write(number);
        byte[] typeAndBody = [.. type, .. body];
        file.Write(typeAndBody);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndBody));
        file.Write(number);
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
