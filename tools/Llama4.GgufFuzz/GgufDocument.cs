using System.Buffers.Binary;
using System.Text;
using Llama4.Core.Gguf;

namespace Llama4.GgufFuzz;

/// <summary>
/// An editable GGUF file: the version, the metadata entries with raw values, the tensors with their data. Parsing
/// expects a well-formed file (the fuzzer parses only the generated base model); serialising recomputes tensor offsets
/// and alignment padding from the data sizes, so a mutation that changes a tensor's type or shape can rebuild its data
/// and still produce a structurally consistent file.
/// </summary>
internal sealed class GgufDocument
{
    private const uint DefaultAlignment = 32;

    private GgufDocument(uint version, List<GgufRawEntry> entries, List<GgufRawTensor> tensors)
    {
        Version = version;
        Entries = entries;
        Tensors = tensors;
    }

    /// <summary>Gets or sets the GGUF version written in the header.</summary>
    public uint Version { get; set; }

    /// <summary>Gets the metadata entries in file order.</summary>
    public List<GgufRawEntry> Entries { get; }

    /// <summary>Gets the tensors in file order.</summary>
    public List<GgufRawTensor> Tensors { get; }

    /// <summary>Parses a well-formed GGUF file.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <returns>The document.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a GGUF file this parser understands.</exception>
    public static GgufDocument Parse(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var span = new ReadOnlySpan<byte>(bytes);
        if (bytes.Length < 24 || !span[..4].SequenceEqual("GGUF"u8))
        {
            throw new InvalidDataException("Not a GGUF file.");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
        ulong tensorCount = BinaryPrimitives.ReadUInt64LittleEndian(span[8..]);
        ulong keyCount = BinaryPrimitives.ReadUInt64LittleEndian(span[16..]);
        int position = 24;
        var entries = new List<GgufRawEntry>();
        for (ulong i = 0; i < keyCount; i++)
        {
            string key = Encoding.UTF8.GetString(ReadString(bytes, ref position));
            uint type = ReadUInt32(bytes, ref position);
            if (type == GgufRawEntry.ArrayType)
            {
                uint elementType = ReadUInt32(bytes, ref position);
                ulong count = ReadUInt64(bytes, ref position);
                var elements = new List<byte[]>((int)count);
                for (ulong e = 0; e < count; e++)
                {
                    elements.Add(ReadElement(bytes, elementType, ref position));
                }

                entries.Add(new GgufRawEntry(key, type, elementType, elements));
            }
            else
            {
                entries.Add(new GgufRawEntry(key, type, type, [ReadElement(bytes, type, ref position)]));
            }
        }

        var infos = new List<(string Name, ulong[] Dimensions, uint Type, ulong Offset)>();
        for (ulong i = 0; i < tensorCount; i++)
        {
            string name = Encoding.UTF8.GetString(ReadString(bytes, ref position));
            uint dimensionCount = ReadUInt32(bytes, ref position);
            var dimensions = new ulong[dimensionCount];
            for (int d = 0; d < dimensions.Length; d++)
            {
                dimensions[d] = ReadUInt64(bytes, ref position);
            }

            uint tensorType = ReadUInt32(bytes, ref position);
            infos.Add((name, dimensions, tensorType, ReadUInt64(bytes, ref position)));
        }

        long dataStart = Align(position, AlignmentOf(entries));
        var tensors = new List<GgufRawTensor>(infos.Count);
        foreach ((string name, ulong[] dimensions, uint tensorType, ulong offset) in infos)
        {
            long length = DataLength(tensorType, dimensions)
                ?? throw new InvalidDataException($"Tensor '{name}' has a type of unknown size.");
            tensors.Add(new GgufRawTensor(name, dimensions, tensorType, bytes.AsSpan((int)(dataStart + (long)offset), (int)length).ToArray()));
        }

        return new GgufDocument(version, entries, tensors);
    }

    /// <summary>The data size of a tensor of a ggml type, or null when the type's layout is unknown.</summary>
    /// <param name="type">The ggml type id.</param>
    /// <param name="dimensions">The shape.</param>
    /// <returns>The byte count, or null (unknown type, a row that is not a whole number of blocks, or an overflow).</returns>
    public static long? DataLength(uint type, IReadOnlyList<ulong> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (!GgmlTypeInfo.TryGetLayout(type, out int blockSize, out int typeSize))
        {
            return null;
        }

        UInt128 elements = 1;
        foreach (ulong d in dimensions)
        {
            elements *= d;
            if (elements > long.MaxValue)
            {
                return null;
            }
        }

        ulong row = dimensions.Count > 0 ? dimensions[0] : 1;
        if (row % (ulong)blockSize != 0)
        {
            return null;
        }

        UInt128 bytes = elements / (ulong)blockSize * (ulong)typeSize;
        return bytes > long.MaxValue ? null : (long)bytes;
    }

    /// <summary>A deep copy of the structure (tensor data arrays are shared; mutations replace them).</summary>
    /// <returns>The copy.</returns>
    public GgufDocument Clone() => new(Version, [.. Entries.Select(e => e.Clone())], [.. Tensors.Select(t => t.Clone())]);

    /// <summary>Finds an entry by key.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The entry, or null.</returns>
    public GgufRawEntry? Find(string key) => Entries.Find(e => string.Equals(e.Key, key, StringComparison.Ordinal));

    /// <summary>Writes the file: header, metadata, tensor infos with fresh offsets, padding, data.</summary>
    /// <returns>The bytes and the offsets of the fields a byte-level mutation may target.</returns>
    public GgufImage Serialize()
    {
        uint alignment = AlignmentOf(Entries);
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        var lengthFields = new List<long>();
        writer.Write("GGUF"u8);
        writer.Write(Version);
        writer.Write((ulong)Tensors.Count);
        writer.Write((ulong)Entries.Count);
        foreach (GgufRawEntry entry in Entries)
        {
            WriteString(writer, Encoding.UTF8.GetBytes(entry.Key), lengthFields);
            writer.Write(entry.Type);
            if (entry.IsArray)
            {
                writer.Write(entry.ElementType);
                writer.Write((ulong)entry.Elements.Count);
            }

            foreach (byte[] element in entry.Elements)
            {
                if (entry.ElementType == GgufRawEntry.StringType)
                {
                    WriteString(writer, element, lengthFields);
                }
                else
                {
                    writer.Write(element);
                }
            }
        }

        writer.Flush();
        long tensorInfoStart = stream.Position;
        long offset = 0;
        foreach (GgufRawTensor tensor in Tensors)
        {
            WriteString(writer, Encoding.UTF8.GetBytes(tensor.Name), lengthFields);
            writer.Write((uint)tensor.Dimensions.Count);
            foreach (ulong dimension in tensor.Dimensions)
            {
                writer.Write(dimension);
            }

            writer.Write(tensor.Type);
            writer.Write((ulong)offset);
            offset = Align(offset + tensor.Data.Length, alignment);
        }

        writer.Flush();
        long dataStart = Align(stream.Position, alignment);
        writer.Write(new byte[dataStart - stream.Position]);
        foreach (GgufRawTensor tensor in Tensors)
        {
            writer.Write(tensor.Data);
            writer.Write(new byte[Align(tensor.Data.Length, alignment) - tensor.Data.Length]);
        }

        writer.Flush();
        return new GgufImage(stream.ToArray(), tensorInfoStart, dataStart, lengthFields);
    }

    private static uint AlignmentOf(List<GgufRawEntry> entries)
    {
        GgufRawEntry? entry = entries.Find(e => string.Equals(e.Key, "general.alignment", StringComparison.Ordinal));
        if (entry is { Type: 4, Elements: [{ Length: 4 } value] })
        {
            uint alignment = BinaryPrimitives.ReadUInt32LittleEndian(value);
            if (alignment != 0 && (alignment & (alignment - 1)) == 0 && alignment <= 1 << 16)
            {
                return alignment;
            }
        }

        return DefaultAlignment;
    }

    private static long Align(long value, uint alignment) => (value + alignment - 1) / alignment * alignment;

    private static void WriteString(BinaryWriter writer, byte[] bytes, List<long> lengthFields)
    {
        writer.Flush();
        lengthFields.Add(writer.BaseStream.Position);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static uint ReadUInt32(byte[] bytes, ref int position)
    {
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position));
        position += 4;
        return value;
    }

    private static ulong ReadUInt64(byte[] bytes, ref int position)
    {
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(position));
        position += 8;
        return value;
    }

    private static byte[] ReadString(byte[] bytes, ref int position)
    {
        int length = checked((int)ReadUInt64(bytes, ref position));
        byte[] value = bytes.AsSpan(position, length).ToArray();
        position += length;
        return value;
    }

    private static byte[] ReadElement(byte[] bytes, uint type, ref int position)
    {
        if (type == GgufRawEntry.StringType)
        {
            return ReadString(bytes, ref position);
        }

        int size = GgufValues.ScalarSize(type);
        if (size == 0)
        {
            throw new InvalidDataException($"Unsupported GGUF value type {type}.");
        }

        byte[] value = bytes.AsSpan(position, size).ToArray();
        position += size;
        return value;
    }
}
