using Llama4.Core;

namespace Llama4.Benchmarks.Measurement;

/// <summary>The long prefill of the context suite: one engine with a 128k context, its memory and a prompt past 120k tokens.</summary>
/// <param name="Options">The engine's options (flash attention, context, sequences).</param>
/// <param name="Estimate">Llama4MemoryEstimator's estimate for those options.</param>
/// <param name="EstimateFlashAttentionOff">The estimate for the same options with flash attention off (the CPU default), for comparison.</param>
/// <param name="BeforeLoad">The process before the engine was loaded.</param>
/// <param name="AfterLoad">Right after the engine loaded (its context, KV cache and buffers allocated).</param>
/// <param name="AfterPrefill">After the prefill, with the prompt's cells cached.</param>
/// <param name="HistoryTokens">The history's tokens.</param>
/// <param name="Prefill">The prefill request (history plus a question, nothing cached).</param>
/// <param name="NextTurn">The next turn on the same engine (the history reused from the cache).</param>
/// <param name="Statistics">The engine's counters at the end.</param>
/// <param name="Elapsed">Wall time of the whole measurement.</param>
internal sealed record PrefillMeasurement(
    Llama4EngineOptions Options,
    Llama4MemoryEstimate Estimate,
    Llama4MemoryEstimate EstimateFlashAttentionOff,
    ProcessMemory BeforeLoad,
    ProcessMemory AfterLoad,
    ProcessMemory AfterPrefill,
    int HistoryTokens,
    RequestResult Prefill,
    RequestResult NextTurn,
    Llama4EngineStatistics Statistics,
    TimeSpan Elapsed);
