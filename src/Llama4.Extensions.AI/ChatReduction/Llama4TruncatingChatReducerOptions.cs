namespace Llama4.Extensions.AI;

/// <summary>The token budget of a <see cref="Llama4TruncatingChatReducer"/>.</summary>
public sealed class Llama4TruncatingChatReducerOptions
{
    /// <summary>
    /// Gets or sets the most tokens the reduced history may take in the prompt, counted exactly as
    /// <see cref="Llama4ChatClient"/> formats it (turn headers, BOS and the assistant header included), without tool
    /// definitions and <c>ChatOptions.Instructions</c>. Required: choose at most the context size minus the output
    /// tokens you reserve (<c>MaxOutputTokens</c>) and the tokens of your tool definitions and instructions.
    /// </summary>
    public int TokenBudget { get; set; }

    /// <summary>
    /// Gets or sets the tokens an eviction reduces the history to, between 1 and <see cref="TokenBudget"/>. Default
    /// (<see langword="null"/>): half the budget. Evicting well below the budget means the kept messages stay the same
    /// for many turns, so the model's KV cache of the prompt stays reusable; a target close to the budget evicts a little
    /// on almost every turn, and every eviction makes the engine re-process the history after the cut.
    /// </summary>
    public int? TargetTokens { get; set; }

    /// <summary>Checks the options.</summary>
    /// <returns>One message per problem; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate() => ChatReduction.ReducerOptionsValidation.Validate(TokenBudget, TargetTokens);

    internal int EffectiveTarget => TargetTokens ?? Math.Max(1, TokenBudget / 2);

    internal Llama4TruncatingChatReducerOptions Clone() => (Llama4TruncatingChatReducerOptions)MemberwiseClone();
}
