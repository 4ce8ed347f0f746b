namespace Llama4.Extensions.AI;

/// <summary>
/// A Llama 4 chat reducer cannot fit the history into its token budget: the messages it must keep (the leading system
/// message(s), pinned messages and their tool groups, and the newest message group) already take more tokens than
/// the budget allows. Nothing was sent to the model.
/// </summary>
public sealed class Llama4ChatReductionException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public Llama4ChatReductionException()
        : base("The messages a chat reducer must keep do not fit its token budget.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public Llama4ChatReductionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public Llama4ChatReductionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that carries the token counts.</summary>
    /// <param name="requiredTokens">The tokens of the smallest prompt the reducer could make.</param>
    /// <param name="tokenBudget">The reducer's budget.</param>
    public Llama4ChatReductionException(int requiredTokens, int tokenBudget)
        : base($"The messages the chat reducer must keep (the leading system message(s), pinned messages with their tool calls " +
               $"and results, and the newest message or tool group) take {requiredTokens} tokens, but the budget is {tokenBudget}. " +
               "Raise TokenBudget (keeping it within the context size minus the output and tool-definition tokens), unpin " +
               "messages, or shorten the system message or the newest message.")
    {
        RequiredTokens = requiredTokens;
        TokenBudget = tokenBudget;
    }

    /// <summary>Gets the tokens of the smallest prompt the reducer could make.</summary>
    public int RequiredTokens { get; }

    /// <summary>Gets the reducer's token budget.</summary>
    public int TokenBudget { get; }
}
