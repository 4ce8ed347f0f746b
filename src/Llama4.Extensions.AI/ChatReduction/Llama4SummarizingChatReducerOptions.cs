namespace Llama4.Extensions.AI;

/// <summary>The token budget and summary settings of a <see cref="Llama4SummarizingChatReducer"/>.</summary>
public sealed class Llama4SummarizingChatReducerOptions
{
    /// <summary>The summarization instructions used when <see cref="SummarizationInstructions"/> is not set.</summary>
    public const string DefaultSummarizationInstructions =
        "You maintain the memory of a conversation between a user and an AI assistant. Write a concise summary of the " +
        "conversation so far: merge the earlier summary (if any) with the new messages. Keep facts, names, numbers, " +
        "decisions, the user's goals and preferences, tool results that matter later, and open questions. Write plain " +
        "prose in the conversation's language, without greetings or commentary.";

    /// <summary>
    /// Gets or sets the most tokens the reduced history may take in the prompt, summary included, counted exactly as
    /// <see cref="Llama4ChatClient"/> formats it (turn headers, BOS and the assistant header included), without tool
    /// definitions and <c>ChatOptions.Instructions</c>. Required: choose at most the context size minus the output
    /// tokens you reserve and the tokens of your tool definitions and instructions.
    /// </summary>
    public int TokenBudget { get; set; }

    /// <summary>
    /// Gets or sets the tokens an eviction reduces the history to (summary included), between 1 and
    /// <see cref="TokenBudget"/>. Default (<see langword="null"/>): half the budget, so the kept messages and the summary
    /// stay the same for many turns and the model's KV cache of the prompt stays reusable.
    /// </summary>
    public int? TargetTokens { get; set; }

    /// <summary>
    /// Gets or sets the most tokens the model may generate for a summary (its <c>MaxOutputTokens</c>); the summary
    /// message is trimmed to this size if re-tokenizing its text gives more. Default 1024. The summary's tokens are
    /// reserved out of <see cref="TargetTokens"/>, which must leave room for them.
    /// </summary>
    public int SummaryMaxTokens { get; set; } = 1024;

    /// <summary>
    /// Gets or sets the system instructions of the summary requests. Default (<see langword="null"/>):
    /// <see cref="DefaultSummarizationInstructions"/>.
    /// </summary>
    public string? SummarizationInstructions { get; set; }

    /// <summary>
    /// Gets or sets how many summaries the reducer remembers (each under a hash of the messages it replaces, so that
    /// the same history gets the same summary on every turn without asking the model again). Default 1024: one reducer
    /// usually serves many conversations; the oldest entries are dropped first.
    /// </summary>
    public int SummaryCacheCapacity { get; set; } = 1024;

    /// <summary>Checks the options.</summary>
    /// <returns>One message per problem; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(ChatReduction.ReducerOptionsValidation.Validate(TokenBudget, TargetTokens));
        if (SummaryMaxTokens < 1)
        {
            errors.Add($"{nameof(SummaryMaxTokens)} is {SummaryMaxTokens}; it must be at least 1 (default 1024).");
        }
        else if (SummaryMaxTokens >= EffectiveTarget && errors.Count == 0)
        {
            errors.Add($"{nameof(SummaryMaxTokens)} is {SummaryMaxTokens}, but the summary must fit in {nameof(TargetTokens)} ({EffectiveTarget}) with room for the kept messages; lower it well below the target.");
        }

        if (SummaryCacheCapacity < 1)
        {
            errors.Add($"{nameof(SummaryCacheCapacity)} is {SummaryCacheCapacity}; it must be at least 1 (default 1024).");
        }

        if (SummarizationInstructions is { } instructions && string.IsNullOrWhiteSpace(instructions))
        {
            errors.Add($"{nameof(SummarizationInstructions)} is empty; leave it null for the default instructions or write instructions.");
        }

        return errors;
    }

    internal int EffectiveTarget => TargetTokens ?? Math.Max(1, TokenBudget / 2);

    internal string EffectiveInstructions => SummarizationInstructions ?? DefaultSummarizationInstructions;

    internal Llama4SummarizingChatReducerOptions Clone() => (Llama4SummarizingChatReducerOptions)MemberwiseClone();
}
