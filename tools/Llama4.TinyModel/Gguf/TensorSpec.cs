namespace Llama4.TinyModel.Gguf;

/// <summary>A tensor to write: its name, shape in ggml order (ne[0] fastest), storage type and content.</summary>
/// <param name="Name">The GGUF tensor name, e.g. <c>blk.0.attn_q.weight</c>.</param>
/// <param name="Dimensions">The shape, ne[0] first.</param>
/// <param name="IsF16">True for F16 storage, false for F32.</param>
/// <param name="Fill">How the elements are generated.</param>
internal sealed record TensorSpec(string Name, long[] Dimensions, bool IsF16, TensorFill Fill)
{
    /// <summary>
    /// A ggml type id other than F32 and F16 (from <see cref="Llama4.TinyModel.TinyModelOptions.TensorTypeOverrides"/>):
    /// the tensor is stored as that type and its data is all zero bytes. Null for F32/F16 tensors.
    /// </summary>
    public int? OtherType { get; init; }

    /// <summary>The ggml type id (0 = F32, 1 = F16, or <see cref="OtherType"/>).</summary>
    public uint GgmlType => OtherType is { } other ? (uint)other : IsF16 ? 1u : 0u;

    /// <summary>The number of elements.</summary>
    public long ElementCount => Dimensions.Aggregate(1L, (a, b) => checked(a * b));

    /// <summary>The size of the data in bytes, without padding.</summary>
    public long ByteCount => OtherType is { } other
        ? GgmlTypeLayout.ByteCount(other, Dimensions)
        : checked(ElementCount * (IsF16 ? 2 : 4));
}
