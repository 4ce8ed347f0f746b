namespace Llama4.Core;

/// <summary>Whether llama.cpp uses its flash-attention kernels.</summary>
public enum Llama4FlashAttentionMode
{
    /// <summary>
    /// Enabled when layers are offloaded to a GPU, disabled on the CPU. On the CPU, llama.cpp's flash-attention path makes
    /// every decode of fewer than 64 tokens cost about as much as that many single-token decodes, which defeats batched
    /// decoding of concurrent requests (see docs/performance.md).
    /// </summary>
    Auto,

    /// <summary>Always use flash attention (smaller compute buffers, faster long prefills; required for quantized V caches).</summary>
    Enabled,

    /// <summary>Never use flash attention.</summary>
    Disabled,
}
