namespace Llama4.GgufFuzz;

/// <summary>A serialised <see cref="GgufDocument"/> and the offsets a byte-level mutation may target.</summary>
/// <param name="Bytes">The file's bytes.</param>
/// <param name="TensorInfoStart">The offset of the first tensor info (the end of the metadata).</param>
/// <param name="DataStart">The offset of the tensor data section (the end of the header and its padding).</param>
/// <param name="StringLengthFields">The offsets of every string's u64 length field (keys, string values, tensor names).</param>
internal sealed record GgufImage(byte[] Bytes, long TensorInfoStart, long DataStart, IReadOnlyList<long> StringLengthFields);
