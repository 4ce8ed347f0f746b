namespace Llama4.Core;

/// <summary>
/// A piece of a streamed generation. Every update but the last carries text; the last has an empty or final piece of
/// text plus <see cref="FinishReason"/> and <see cref="Usage"/>.
/// </summary>
/// <param name="Text">Newly generated text (complete UTF-8 characters; text that may begin a stop sequence is held back until it is known not to).</param>
/// <param name="TokenCount">Tokens sampled since the previous update.</param>
/// <param name="FinishReason">Why the generation ended, on the last update only.</param>
/// <param name="Usage">Counts and timings, on the last update only.</param>
public sealed record Llama4GenerationUpdate(
    string Text,
    int TokenCount,
    Llama4FinishReason? FinishReason = null,
    Llama4GenerationUsage? Usage = null)
{
    /// <summary>Gets the tool calls completed since the previous update, each complete and emitted once.</summary>
    public IReadOnlyList<Llama4ToolCall> ToolCalls { get; init; } = [];

    /// <summary>Gets the logits of the first sampled step, on the last update of a request that asked for them.</summary>
    internal float[]? FirstStepLogits { get; init; }

    /// <summary>Gets a value indicating whether this is the last update of the generation.</summary>
    public bool IsFinal => FinishReason is not null;
}
