using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Llama4.Core.Gguf;

/// <summary>
/// A little-endian reader over a GGUF stream that knows how many bytes remain: every declared length or count is
/// checked against the rest of the file before anything is allocated, and running out of bytes becomes a
/// <see cref="Llama4ModelValidationException"/> (<see cref="Llama4ModelProblem.Truncated"/>) instead of an
/// <see cref="EndOfStreamException"/>.
/// </summary>
internal sealed class GgufReader : IDisposable
{
    /// <summary>A declared byte length above this is not a cut-off file but garbage (no real GGUF string is 4 GiB).</summary>
    private const ulong PlausibleByteLength = 1UL << 32;

    /// <summary>A declared element count above this is garbage (the largest real arrays have a few hundred thousand).</summary>
    private const ulong PlausibleArrayCount = 1UL << 32;

    private readonly BinaryReader _reader;
    private byte[] _buffer = new byte[256];

    public GgufReader(Stream stream, string path)
    {
        _reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        Path = path;
        Length = stream.Length;
        Position = stream.Position;
    }

    /// <summary>The path, for messages.</summary>
    public string Path { get; }

    /// <summary>The length of the file in bytes.</summary>
    public long Length { get; }

    /// <summary>The current offset.</summary>
    public long Position { get; private set; }

    /// <summary>The bytes left after <see cref="Position"/>.</summary>
    public long Remaining => Length - Position;

    public void Dispose() => _reader.Dispose();

    public uint ReadUInt32(string what)
    {
        Ensure(4, what);
        Position += 4;
        return _reader.ReadUInt32();
    }

    public ulong ReadUInt64(string what)
    {
        Ensure(8, what);
        Position += 8;
        return _reader.ReadUInt64();
    }

    /// <summary>Reads a GGUF string (u64 length, UTF-8 bytes), refusing lengths beyond <paramref name="maxLength"/>.</summary>
    public string ReadString(string what, ulong maxLength = PlausibleByteLength) => ReadString(what, maxLength, out _);

    /// <summary>
    /// Reads a GGUF string; when its bytes are not valid UTF-8 (the returned string then holds U+FFFD in their place),
    /// <paramref name="invalidUtf8"/> receives the exact bytes, which llama.cpp uses as they are.
    /// </summary>
    public string ReadString(string what, ulong maxLength, out byte[]? invalidUtf8)
    {
        invalidUtf8 = null;
        ulong length = ReadUInt64(what);
        if (length > maxLength)
        {
            throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"{what} declares a length of {length} bytes (at most {maxLength} expected)"));
        }

        CheckDeclared(length, 1, PlausibleByteLength, what);
        int count = (int)length;
        if (count == 0)
        {
            return string.Empty;
        }

        if (_buffer.Length < count)
        {
            _buffer = new byte[Math.Max(count, _buffer.Length * 2)];
        }

        _reader.BaseStream.ReadExactly(_buffer, 0, count);
        Position += count;
        ReadOnlySpan<byte> bytes = _buffer.AsSpan(0, count);
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            invalidUtf8 = bytes.ToArray();
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Reads one scalar of <paramref name="type"/> (not an array).</summary>
    public object ReadScalar(GgufValueType type, string what)
    {
        switch (type)
        {
            case GgufValueType.UInt8: Ensure(1, what); Position += 1; return _reader.ReadByte();
            case GgufValueType.Int8: Ensure(1, what); Position += 1; return _reader.ReadSByte();
            case GgufValueType.UInt16: Ensure(2, what); Position += 2; return _reader.ReadUInt16();
            case GgufValueType.Int16: Ensure(2, what); Position += 2; return _reader.ReadInt16();
            case GgufValueType.UInt32: Ensure(4, what); Position += 4; return _reader.ReadUInt32();
            case GgufValueType.Int32: Ensure(4, what); Position += 4; return _reader.ReadInt32();
            case GgufValueType.Float32: Ensure(4, what); Position += 4; return _reader.ReadSingle();
            case GgufValueType.Bool: Ensure(1, what); Position += 1; return _reader.ReadByte() != 0;
            case GgufValueType.String: return ReadString(what);
            case GgufValueType.UInt64: Ensure(8, what); Position += 8; return _reader.ReadUInt64();
            case GgufValueType.Int64: Ensure(8, what); Position += 8; return _reader.ReadInt64();
            case GgufValueType.Float64: Ensure(8, what); Position += 8; return _reader.ReadDouble();
            case GgufValueType.Array:
            default:
                throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"{what} has the unknown value type {(uint)type}"));
        }
    }

    /// <summary>
    /// Reads an array body (element type and count already read). For a string array, <paramref name="invalidUtf8"/>
    /// receives the exact bytes of each element that is not valid UTF-8 (null elsewhere), or null when all are valid.
    /// </summary>
    public Array ReadArray(GgufValueType elementType, ulong count, string what, out byte[]?[]? invalidUtf8)
    {
        invalidUtf8 = null;
        int elementSize = MinimumSize(elementType);
        if (elementSize == 0)
        {
            throw Corrupt(string.Create(
                CultureInfo.InvariantCulture,
                $"{what} is an array of {GgufMetadataValue.Name(elementType)}, which GGUF does not allow (nested or unknown element type)"));
        }

        CheckDeclared(count, elementSize, PlausibleArrayCount, what);
        int n = (int)count;
        switch (elementType)
        {
            case GgufValueType.String:
                var strings = new string[n];
                for (int i = 0; i < n; i++)
                {
                    strings[i] = ReadString(what, PlausibleByteLength, out byte[]? exact);
                    if (exact is not null)
                    {
                        invalidUtf8 ??= new byte[]?[n];
                        invalidUtf8[i] = exact;
                    }
                }

                return strings;
            case GgufValueType.Bool:
                byte[] raw = ReadPrimitiveArray<byte>(n);
                return Array.ConvertAll(raw, b => b != 0);
            case GgufValueType.UInt8: return ReadPrimitiveArray<byte>(n);
            case GgufValueType.Int8: return ReadPrimitiveArray<sbyte>(n);
            case GgufValueType.UInt16: return ReadPrimitiveArray<ushort>(n);
            case GgufValueType.Int16: return ReadPrimitiveArray<short>(n);
            case GgufValueType.UInt32: return ReadPrimitiveArray<uint>(n);
            case GgufValueType.Int32: return ReadPrimitiveArray<int>(n);
            case GgufValueType.Float32: return ReadPrimitiveArray<float>(n);
            case GgufValueType.UInt64: return ReadPrimitiveArray<ulong>(n);
            case GgufValueType.Int64: return ReadPrimitiveArray<long>(n);
            case GgufValueType.Float64: return ReadPrimitiveArray<double>(n);
            case GgufValueType.Array:
            default:
                throw Corrupt(what + " has an unsupported element type");
        }
    }

    /// <summary>Skips forward to <paramref name="offset"/> (used for the alignment padding).</summary>
    public void SkipTo(long offset, string what)
    {
        if (offset > Length)
        {
            throw Truncated(what);
        }

        _reader.BaseStream.Seek(offset, SeekOrigin.Begin);
        Position = offset;
    }

    /// <summary>
    /// Checks a declared count of <paramref name="unitSize"/>-byte items: implausibly large means corrupt; larger than
    /// the rest of the file means truncated.
    /// </summary>
    public void CheckDeclared(ulong count, long unitSize, ulong plausibleCount, string what)
    {
        if (count > plausibleCount)
        {
            throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"{what} declares {count} items, far more than any real model has"));
        }

        if ((UInt128)count * (UInt128)(ulong)unitSize > (UInt128)(ulong)Math.Max(0, Remaining))
        {
            throw Truncated(what);
        }
    }

    /// <summary>The exception for a file that ends too early.</summary>
    public Llama4ModelValidationException Truncated(string what) => new(
        Llama4ModelProblem.Truncated,
        Path,
        string.Create(
            CultureInfo.InvariantCulture,
            $"The model file '{Path}' is truncated: it ends at byte {Length} inside {what} (read up to byte {Position}). The download or copy did not finish; download or copy the file again."));

    /// <summary>The exception for an impossible structure.</summary>
    public Llama4ModelValidationException Corrupt(string detail) => new(
        Llama4ModelProblem.Corrupt,
        Path,
        string.Create(
            CultureInfo.InvariantCulture,
            $"The model file '{Path}' is corrupt: {detail} (near byte {Position}). Download or convert the model again."));

    private static int MinimumSize(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
        GgufValueType.String => 8,
        _ => 0,
    };

    private T[] ReadPrimitiveArray<T>(int count)
        where T : unmanaged
    {
        var values = new T[count];
        Span<byte> bytes = MemoryMarshal.AsBytes(values.AsSpan());
        _reader.BaseStream.ReadExactly(bytes);
        Position += bytes.Length;
        if (!BitConverter.IsLittleEndian && bytes.Length > count)
        {
            int size = bytes.Length / count;
            for (int i = 0; i < count; i++)
            {
                bytes.Slice(i * size, size).Reverse();
            }
        }

        return values;
    }

    private void Ensure(long count, string what)
    {
        if (count > Remaining)
        {
            throw Truncated(what);
        }
    }
}
