namespace Llama4.Core.Gguf;

/// <summary>A tensor's entry in the GGUF header (its data is never read).</summary>
internal sealed class GgufTensorInfo
{
    public GgufTensorInfo(string name, IReadOnlyList<ulong> dimensions, uint typeId, ulong offset, ulong? byteLength)
    {
        Name = name;
        Dimensions = dimensions;
        TypeId = typeId;
        Offset = offset;
        ByteLength = byteLength;
    }

    /// <summary>The tensor name, e.g. <c>blk.0.attn_q.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The shape in ggml order (ne[0], the fastest-varying dimension, first).</summary>
    public IReadOnlyList<ulong> Dimensions { get; }

    /// <summary>The ggml type id (0 = F32, 1 = F16, 8 = Q8_0, ...).</summary>
    public uint TypeId { get; }

    /// <summary>The ggml type name, or <c>type N</c> when unknown.</summary>
    public string TypeName => GgmlTypeInfo.GetName(TypeId);

    /// <summary>The data offset relative to the start of the data section.</summary>
    public ulong Offset { get; }

    /// <summary>The data size in bytes, or null when the ggml type is unknown to this reader.</summary>
    public ulong? ByteLength { get; }
}
