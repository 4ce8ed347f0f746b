namespace Llama4.Core;

/// <summary>
/// The memory a Llama 4 model needs with given engine options, in bytes, from <see cref="Llama4MemoryEstimator"/>.
/// Weights, KV cache and output buffer are exact for the llama.cpp build this library ships with;
/// <see cref="ComputeBufferBytes"/> is an approximation (see its remarks). The totals do not depend on where the memory
/// lives: with GPU offload the offloaded layers' weights and KV cache move to the GPU and the rest stays in host memory.
/// </summary>
public sealed record Llama4MemoryEstimate
{
    internal Llama4MemoryEstimate()
    {
    }

    /// <summary>
    /// Gets the context size llama.cpp allocates, in tokens: the requested size, clamped to the model's training context
    /// as the engine does, rounded up to a multiple of 256 (and, with one KV stream per sequence, to a multiple of
    /// 256 x the sequence count).
    /// </summary>
    public int ContextSize { get; internal init; }

    /// <summary>Gets the most tokens one sequence can hold: <see cref="ContextSize"/> with a unified KV cache, else its share.</summary>
    public int SequenceContextSize { get; internal init; }

    /// <summary>Gets whether the estimate assumes flash attention (how <see cref="Llama4EngineOptions.FlashAttention"/> resolves).</summary>
    public bool FlashAttention { get; internal init; }

    /// <summary>Gets the bytes of the weights: the file's tensor data (<see cref="Llama4ModelInfo.TensorDataBytes"/>).</summary>
    public long WeightsBytes { get; internal init; }

    /// <summary>Gets the KV cache of the global layers (every 4th layer): it grows with the context.</summary>
    public Llama4KvCacheEstimate GlobalKvCache { get; internal init; } = new();

    /// <summary>
    /// Gets the KV cache of the chunked-attention layers (3 of every 4): with a small SWA cache it holds only what the
    /// 8192-token chunks need, whatever the context size.
    /// </summary>
    public Llama4KvCacheEstimate ChunkedKvCache { get; internal init; } = new();

    /// <summary>Gets the bytes of the whole KV cache (both groups of layers).</summary>
    public long KvCacheBytes => GlobalKvCache.Bytes + ChunkedKvCache.Bytes;

    /// <summary>
    /// Gets an approximation of llama.cpp's compute buffer (the scratch memory of one micro-batch), CPU backend.
    /// </summary>
    /// <remarks>
    /// llama.cpp sizes this buffer by laying out the whole graph of one micro-batch (reusing memory as tensors die), so it
    /// cannot be computed exactly outside it. The estimate is micro-batch tokens x the largest of three phases: attention
    /// (the masks, plus the score matrix of the largest cache when flash attention is off), feed-forward, and logits.
    /// The mask, score and logit terms are llama.cpp's tensor sizes; the activation terms are an empirical fit. Across 364
    /// configurations of generated models (widths 128 to 5120, contexts 256 to 65536, 1 to 8 sequences) the estimate was
    /// between 0.81 and 1.25 times what llama.cpp allocated (median 1.00). On Llama 4 Scout and Maverick shapes the exact
    /// terms make up most of it. Measured on the CPU backend: GPU backends lay out the graph differently and may add
    /// conversion buffers (a quantized KV cache is converted for flash attention), so treat the value as a guide there.
    /// </remarks>
    public long ComputeBufferBytes { get; internal init; }

    /// <summary>Gets the bytes of llama.cpp's output buffer: the logits of one token per parallel sequence (host memory).</summary>
    public long OutputBufferBytes { get; internal init; }

    /// <summary>Gets the sum of weights, KV cache, compute buffer and output buffer.</summary>
    public long TotalBytes => WeightsBytes + KvCacheBytes + ComputeBufferBytes + OutputBufferBytes;
}
