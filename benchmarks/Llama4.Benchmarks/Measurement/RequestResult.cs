namespace Llama4.Benchmarks.Measurement;

/// <summary>One request of a run, timed from the start of the run (so tokenization and queueing count).</summary>
/// <param name="OutputTokens">Tokens the contender generated for it.</param>
/// <param name="TimeToFirstText">From the start of the run to the first non-empty piece of text.</param>
/// <param name="Completed">From the start of the run to the end of its stream.</param>
/// <param name="DecodeTime">From the first to the last sampled token.</param>
internal sealed record RequestResult(int OutputTokens, TimeSpan TimeToFirstText, TimeSpan Completed, TimeSpan DecodeTime)
{
    /// <summary>
    /// Gets the time from the start of the run to the first sampled token, where the contender reports it (whether or
    /// not that token completed any text: a tool call's text is held back until the call is complete).
    /// </summary>
    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>Gets the prompt tokens of the request (cached ones included), where the contender reports them.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>Gets the prompt tokens the contender reused from its KV cache instead of decoding them, where it reports them.</summary>
    public int? CachedPromptTokens { get; init; }

    /// <summary>Gets the engine's own prompt-processing time (admission to first token), where the contender reports it.</summary>
    public TimeSpan? PromptTime { get; init; }

    /// <summary>Gets why the request ended (Stop, Length, ToolCalls), where the contender reports it.</summary>
    public string? FinishReason { get; init; }

    /// <summary>Tokens after the first, per second from the first to the last token.</summary>
    public double DecodeTokensPerSecond => OutputTokens > 1 && DecodeTime > TimeSpan.Zero ? (OutputTokens - 1) / DecodeTime.TotalSeconds : 0;

    /// <summary>Output tokens per second of the whole request, tokenization and prefill included.</summary>
    public double ThroughputTokensPerSecond => Completed > TimeSpan.Zero ? OutputTokens / Completed.TotalSeconds : 0;
}
