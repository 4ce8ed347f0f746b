using System.Text;

namespace Llama4.TinyModel.Gguf;

/// <summary>Writes GGUF version 3 files (little-endian) from typed metadata and tensor specifications.</summary>
internal static class GgufWriter
{
    private const uint Version = 3;
    private static readonly byte[] Magic = "GGUF"u8.ToArray();

    /// <summary>Writes the header, metadata, tensor infos and (through <paramref name="writeData"/>) the aligned data.</summary>
    /// <param name="output">The destination stream.</param>
    /// <param name="metadata">The key/value pairs, written in this order.</param>
    /// <param name="tensors">The tensors, written in this order.</param>
    /// <param name="alignment">The data alignment (the value of <c>general.alignment</c>).</param>
    /// <param name="writeData">Writes exactly <see cref="TensorSpec.ByteCount"/> bytes of one tensor.</param>
    public static void Write(
        Stream output,
        IReadOnlyList<GgufMetadataEntry> metadata,
        IReadOnlyList<TensorSpec> tensors,
        uint alignment,
        Action<TensorSpec, Stream> writeData)
    {
        using var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((ulong)tensors.Count);
        writer.Write((ulong)metadata.Count);
        long position = 4 + 4 + 8 + 8;

        foreach (GgufMetadataEntry entry in metadata)
        {
            position += WriteString(writer, entry.Key);
            writer.Write((uint)entry.Type);
            position += 4;
            position += entry.Type == GgufValueType.Array
                ? WriteArray(writer, entry.ElementType, (Array)entry.Value)
                : WriteScalar(writer, entry.Type, entry.Value);
        }

        long offset = 0;
        foreach (TensorSpec tensor in tensors)
        {
            position += WriteString(writer, tensor.Name);
            writer.Write((uint)tensor.Dimensions.Length);
            foreach (long dimension in tensor.Dimensions)
            {
                writer.Write((ulong)dimension);
            }

            writer.Write(tensor.GgmlType);
            writer.Write((ulong)offset);
            position += 4 + (8L * tensor.Dimensions.Length) + 4 + 8;
            offset += Align(tensor.ByteCount, alignment);
        }

        WritePadding(writer, Align(position, alignment) - position);
        writer.Flush();

        foreach (TensorSpec tensor in tensors)
        {
            long before = output.CanSeek ? output.Position : -1;
            writeData(tensor, output);
            if (before >= 0 && output.Position - before != tensor.ByteCount)
            {
                throw new InvalidOperationException($"Tensor '{tensor.Name}' wrote {output.Position - before} bytes instead of {tensor.ByteCount}.");
            }

            WritePadding(writer, Align(tensor.ByteCount, alignment) - tensor.ByteCount);
            writer.Flush();
        }
    }

    /// <summary>Rounds <paramref name="value"/> up to a multiple of <paramref name="alignment"/>.</summary>
    public static long Align(long value, uint alignment) => (value + alignment - 1) / alignment * alignment;

    private static void WritePadding(BinaryWriter writer, long count)
    {
        for (long i = 0; i < count; i++)
        {
            writer.Write((byte)0);
        }
    }

    private static long WriteString(BinaryWriter writer, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
        return 8 + bytes.Length;
    }

    private static long WriteScalar(BinaryWriter writer, GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.UInt8: writer.Write((byte)value); return 1;
            case GgufValueType.Int8: writer.Write((sbyte)value); return 1;
            case GgufValueType.UInt16: writer.Write((ushort)value); return 2;
            case GgufValueType.Int16: writer.Write((short)value); return 2;
            case GgufValueType.UInt32: writer.Write((uint)value); return 4;
            case GgufValueType.Int32: writer.Write((int)value); return 4;
            case GgufValueType.Float32: writer.Write((float)value); return 4;
            case GgufValueType.Bool: writer.Write((bool)value ? (byte)1 : (byte)0); return 1;
            case GgufValueType.String: return WriteString(writer, (string)value);
            case GgufValueType.UInt64: writer.Write((ulong)value); return 8;
            case GgufValueType.Int64: writer.Write((long)value); return 8;
            case GgufValueType.Float64: writer.Write((double)value); return 8;
            case GgufValueType.Array:
            default:
                throw new InvalidOperationException($"Cannot write a scalar of type {type}.");
        }
    }

    private static long WriteArray(BinaryWriter writer, GgufValueType elementType, Array values)
    {
        writer.Write((uint)elementType);
        writer.Write((ulong)values.Length);
        long written = 4 + 8;
        foreach (object? value in values)
        {
            written += WriteScalar(writer, elementType, value!);
        }

        return written;
    }
}
