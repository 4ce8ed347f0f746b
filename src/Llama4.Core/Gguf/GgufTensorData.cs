namespace Llama4.Core.Gguf;

/// <summary>Sizes of a GGUF file's tensor data, as llama.cpp maps it.</summary>
internal static class GgufTensorData
{
    /// <summary>
    /// The bytes llama.cpp maps for the weights of one file: from the start of its first tensor to the end of its last,
    /// alignment padding between tensors included (the <c>model buffer size</c> llama.cpp logs for a memory-mapped CPU
    /// load). A tensor of a type unknown to this reader is taken to run to the end of the file.
    /// </summary>
    /// <param name="file">The file's header.</param>
    /// <returns>The byte count; 0 for a file without tensors.</returns>
    public static long MappedBytes(GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Tensors.Count == 0)
        {
            return 0;
        }

        ulong first = ulong.MaxValue;
        ulong last = 0;
        ulong dataLength = (ulong)Math.Max(0, file.FileLength - file.DataOffset);
        foreach (GgufTensorInfo tensor in file.Tensors)
        {
            first = Math.Min(first, tensor.Offset);
            ulong end = tensor.ByteLength is { } length ? tensor.Offset + length : dataLength;
            last = Math.Max(last, end);
        }

        return (long)(last - first);
    }
}
