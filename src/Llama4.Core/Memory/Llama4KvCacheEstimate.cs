namespace Llama4.Core;

/// <summary>
/// The KV cache of one group of Llama 4 layers as llama.cpp allocates it: the global (no-RoPE, full-attention) layers,
/// or the chunked-attention layers. Part of a <see cref="Llama4MemoryEstimate"/>; every value is exact for the llama.cpp
/// build this library ships with.
/// </summary>
public sealed record Llama4KvCacheEstimate
{
    internal Llama4KvCacheEstimate()
    {
    }

    /// <summary>Gets the number of layers whose keys and values this cache holds.</summary>
    public int LayerCount { get; internal init; }

    /// <summary>
    /// Gets the cells (token slots) of each stream: llama.cpp's <c>size = N cells</c>. With one stream (a unified cache)
    /// all sequences share them; otherwise each sequence has this many of its own.
    /// </summary>
    public int Cells { get; internal init; }

    /// <summary>Gets the number of streams: 1 with a unified KV cache, else one per parallel sequence.</summary>
    public int Streams { get; internal init; }

    /// <summary>Gets the bytes of the key tensors of all layers and streams.</summary>
    public long KeyBytes { get; internal init; }

    /// <summary>Gets the bytes of the value tensors of all layers and streams.</summary>
    public long ValueBytes { get; internal init; }

    /// <summary>Gets the bytes of the whole cache (keys and values).</summary>
    public long Bytes => KeyBytes + ValueBytes;

    /// <summary>Gets the bytes one cell (one cached token) costs across all layers of this cache, keys and values together.</summary>
    public long BytesPerToken { get; internal init; }
}
