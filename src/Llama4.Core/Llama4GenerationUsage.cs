namespace Llama4.Core;

/// <summary>Token counts and timings of one finished generation.</summary>
/// <param name="PromptTokens">Tokens in the formatted prompt.</param>
/// <param name="CachedPromptTokens">Prompt tokens that were reused from the KV cache instead of being decoded.</param>
/// <param name="OutputTokens">Tokens sampled, including the end-of-turn token or the tokens that completed a stop sequence.</param>
/// <param name="QueueTime">Time spent waiting for a free sequence slot and context room.</param>
/// <param name="PromptTime">Time from admission to the first sampled token (prompt processing).</param>
/// <param name="GenerationTime">Time from the first to the last sampled token.</param>
public sealed record Llama4GenerationUsage(
    int PromptTokens,
    int CachedPromptTokens,
    int OutputTokens,
    TimeSpan QueueTime,
    TimeSpan PromptTime,
    TimeSpan GenerationTime)
{
    /// <summary>Gets how many of <see cref="PromptTokens"/> the prompt's images take (0 without images).</summary>
    public int ImageTokens { get; init; }

    /// <summary>Gets the time from submission to the first sampled token.</summary>
    public TimeSpan TimeToFirstToken => QueueTime + PromptTime;
}
