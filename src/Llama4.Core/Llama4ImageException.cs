namespace Llama4.Core;

/// <summary>
/// Thrown when an image in a request cannot be used. The request is refused before it is queued; the engine keeps
/// serving other requests. <see cref="Problem"/> says what kind of problem it is; the message names the fix.
/// </summary>
public sealed class Llama4ImageException : Exception
{
    /// <summary>Creates an exception with problem <see cref="Llama4ImageProblem.Corrupt"/>.</summary>
    public Llama4ImageException()
        : this(Llama4ImageProblem.Corrupt, "The image could not be used.")
    {
    }

    /// <summary>Creates an exception with problem <see cref="Llama4ImageProblem.Corrupt"/>.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public Llama4ImageException(string message)
        : this(Llama4ImageProblem.Corrupt, message)
    {
    }

    /// <summary>Creates an exception with problem <see cref="Llama4ImageProblem.Corrupt"/>.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying error.</param>
    public Llama4ImageException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Problem = Llama4ImageProblem.Corrupt;
    }

    /// <summary>Creates an exception for a specific problem.</summary>
    /// <param name="problem">The kind of problem.</param>
    /// <param name="message">What went wrong and how to fix it.</param>
    public Llama4ImageException(Llama4ImageProblem problem, string message)
        : base(message)
    {
        Problem = problem;
    }

    /// <summary>Gets the kind of problem.</summary>
    public Llama4ImageProblem Problem { get; }
}
