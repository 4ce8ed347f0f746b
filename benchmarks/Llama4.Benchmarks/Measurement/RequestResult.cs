namespace Llama4.Benchmarks.Measurement;

/// <summary>One request of a run, timed from the start of the run (so tokenization and queueing count).</summary>
/// <param name="OutputTokens">Tokens the contender generated for it.</param>
/// <param name="TimeToFirstText">From the start of the run to the first non-empty piece of text.</param>
/// <param name="Completed">From the start of the run to the end of its stream.</param>
/// <param name="DecodeTime">From the first to the last sampled token.</param>
internal sealed record RequestResult(int OutputTokens, TimeSpan TimeToFirstText, TimeSpan Completed, TimeSpan DecodeTime)
{
    /// <summary>Tokens after the first, per second from the first to the last token.</summary>
    public double DecodeTokensPerSecond => OutputTokens > 1 && DecodeTime > TimeSpan.Zero ? (OutputTokens - 1) / DecodeTime.TotalSeconds : 0;

    /// <summary>Output tokens per second of the whole request, tokenization and prefill included.</summary>
    public double ThroughputTokensPerSecond => Completed > TimeSpan.Zero ? OutputTokens / Completed.TotalSeconds : 0;
}
