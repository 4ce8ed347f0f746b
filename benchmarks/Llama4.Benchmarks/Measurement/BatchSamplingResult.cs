namespace Llama4.Benchmarks.Measurement;

/// <summary>What the batch sampling probe measured for one variant: one entry per measured run.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="TokensPerSecond">Output tokens of all sequences per second of wall time, prompt processing included.</param>
/// <param name="SamplingMillisecondsPerStep">Wall time spent sampling every live sequence, per decode step.</param>
/// <param name="DecodeMillisecondsPerStep">Wall time of one decode of every live sequence's token, per step (prompt excluded).</param>
/// <param name="OutputTokens">Output tokens of all sequences, per run.</param>
internal sealed record BatchSamplingResult(
    BatchSamplingVariant Variant,
    Summary TokensPerSecond,
    Summary SamplingMillisecondsPerStep,
    Summary DecodeMillisecondsPerStep,
    Summary OutputTokens);
