namespace Llama4.Core;

/// <summary>
/// A request does not fit the engine's context window: its prompt tokens plus the output tokens it reserves exceed
/// <see cref="ContextSize"/>. Nothing was decoded.
/// </summary>
public sealed class Llama4ContextOverflowException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public Llama4ContextOverflowException()
        : base("The request does not fit the model's context window.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public Llama4ContextOverflowException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public Llama4ContextOverflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that carries the token counts.</summary>
    /// <param name="promptTokens">Tokens in the formatted prompt.</param>
    /// <param name="reservedOutputTokens">Output tokens the request reserves (its maximum output, at least one).</param>
    /// <param name="contextSize">The engine's context size.</param>
    public Llama4ContextOverflowException(int promptTokens, int reservedOutputTokens, int contextSize)
        : base($"The prompt has {promptTokens} tokens and the request reserves {reservedOutputTokens} output token(s), " +
               $"{(long)promptTokens + reservedOutputTokens} in all, but the context holds {contextSize}. Shorten the history " +
               "(for example with a chat reducer), lower MaxOutputTokens, or load the model with a larger ContextSize.")
    {
        PromptTokens = promptTokens;
        ReservedOutputTokens = reservedOutputTokens;
        ContextSize = contextSize;
    }

    /// <summary>Creates an exception that carries the token counts and the cause (for example a history that could not be reduced enough).</summary>
    /// <param name="promptTokens">Tokens in the formatted prompt (or in the part of it that must stay).</param>
    /// <param name="reservedOutputTokens">Output tokens the request reserves (its maximum output, at least one).</param>
    /// <param name="contextSize">The engine's context size.</param>
    /// <param name="innerException">The cause.</param>
    public Llama4ContextOverflowException(int promptTokens, int reservedOutputTokens, int contextSize, Exception? innerException)
        : base($"The prompt needs at least {promptTokens} tokens (after dropping every message that may be dropped) and the request reserves {reservedOutputTokens} output token(s), " +
               $"{(long)promptTokens + reservedOutputTokens} in all, but the context holds {contextSize}. Shorten the system prompt, pinned messages, tool definitions or the newest messages, " +
               "lower MaxOutputTokens, or load the model with a larger ContextSize.", innerException)
    {
        PromptTokens = promptTokens;
        ReservedOutputTokens = reservedOutputTokens;
        ContextSize = contextSize;
    }

    /// <summary>Creates an exception with the given message that carries the token counts.</summary>
    /// <param name="message">The message, naming the problem and the fix.</param>
    /// <param name="promptTokens">Tokens of the input that does not fit.</param>
    /// <param name="reservedOutputTokens">Output tokens the request reserves (0 where it generates none, as for embeddings).</param>
    /// <param name="contextSize">The size of the context the input had to fit.</param>
    public Llama4ContextOverflowException(string message, int promptTokens, int reservedOutputTokens, int contextSize)
        : base(message)
    {
        PromptTokens = promptTokens;
        ReservedOutputTokens = reservedOutputTokens;
        ContextSize = contextSize;
    }

    /// <summary>Gets the number of tokens in the formatted prompt.</summary>
    public int PromptTokens { get; }

    /// <summary>Gets the number of output tokens the request reserved.</summary>
    public int ReservedOutputTokens { get; }

    /// <summary>Gets the engine's context size in tokens.</summary>
    public int ContextSize { get; }
}
