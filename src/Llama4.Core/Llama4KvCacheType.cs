using System.Diagnostics.CodeAnalysis;

namespace Llama4.Core;

/// <summary>Element type of the key or value cache.</summary>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "ggml's own type names (q8_0, q4_0), as llama.cpp users know them.")]
public enum Llama4KvCacheType
{
    /// <summary>16-bit float (llama.cpp's default): 4 KiB per token per layer on Scout and Maverick.</summary>
    F16,

    /// <summary>bfloat16.</summary>
    BF16,

    /// <summary>32-bit float: twice the memory of <see cref="F16"/>.</summary>
    F32,

    /// <summary>8-bit quantized: about half the memory of <see cref="F16"/>. A quantized value cache needs flash attention.</summary>
    Q8_0,

    /// <summary>4-bit quantized: about a quarter of the memory of <see cref="F16"/>. A quantized value cache needs flash attention.</summary>
    Q4_0,
}
