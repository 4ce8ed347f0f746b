using Llama4.Core;
using LLama.Native;
using LLama.Sampling;

namespace Llama4.Benchmarks.Measurement;

/// <summary>One sampler configuration the sampling probe runs: a prompt, an optional grammar and the grammar mode.</summary>
/// <param name="Name">The name in the report.</param>
/// <param name="PromptTokens">The prompt decoded before sampling.</param>
/// <param name="Grammar">The grammar, or null for free text.</param>
/// <param name="Mode">LLamaSharp's grammar optimization mode; the engine uses Extended.</param>
/// <param name="TopK">Top-k, when it differs from the workload's (changes the distribution: reference only).</param>
/// <param name="MaskControlTokens">Whether every control token but the end-of-generation ones gets a logit bias of minus infinity.</param>
internal sealed record SamplingVariant(
    string Name,
    LLamaToken[] PromptTokens,
    Llama4Grammar? Grammar,
    DefaultSamplingPipeline.GrammarOptimizationMode Mode = DefaultSamplingPipeline.GrammarOptimizationMode.Extended,
    int? TopK = null,
    bool MaskControlTokens = false);
