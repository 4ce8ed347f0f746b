namespace Llama4.Core;

/// <summary>
/// Thrown when a conversation's KV state cannot be saved or restored; <see cref="Problem"/> says why and the message
/// says how to fix it. A refused restore leaves the engine unchanged.
/// </summary>
public sealed class Llama4SessionException : Exception
{
    /// <summary>Creates an exception with problem <see cref="Llama4SessionProblem.RestoreFailed"/>.</summary>
    public Llama4SessionException()
        : this(Llama4SessionProblem.RestoreFailed, "The session could not be saved or restored.")
    {
    }

    /// <summary>Creates an exception with problem <see cref="Llama4SessionProblem.RestoreFailed"/>.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public Llama4SessionException(string message)
        : this(Llama4SessionProblem.RestoreFailed, message)
    {
    }

    /// <summary>Creates an exception with problem <see cref="Llama4SessionProblem.RestoreFailed"/>.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying error.</param>
    public Llama4SessionException(string message, Exception? innerException)
        : this(Llama4SessionProblem.RestoreFailed, message, innerException)
    {
    }

    /// <summary>Creates an exception for a specific problem.</summary>
    /// <param name="problem">The kind of problem.</param>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public Llama4SessionException(Llama4SessionProblem problem, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
    }

    /// <summary>Gets the kind of problem.</summary>
    public Llama4SessionProblem Problem { get; }
}
