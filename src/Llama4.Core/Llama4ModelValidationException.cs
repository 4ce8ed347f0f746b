namespace Llama4.Core;

/// <summary>
/// Thrown when a model file cannot be used: the <see cref="Problem"/> says what kind of problem it is, and the message
/// names the offending key or byte range and how to fix it.
/// </summary>
public sealed class Llama4ModelValidationException : Exception
{
    /// <summary>Creates an exception with problem <see cref="Llama4ModelProblem.LoadFailed"/> and no path.</summary>
    public Llama4ModelValidationException()
        : this(Llama4ModelProblem.LoadFailed, string.Empty, "The model could not be loaded.", null)
    {
    }

    /// <summary>Creates an exception with problem <see cref="Llama4ModelProblem.LoadFailed"/> and no path.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public Llama4ModelValidationException(string message)
        : this(Llama4ModelProblem.LoadFailed, string.Empty, message, null)
    {
    }

    /// <summary>Creates an exception with problem <see cref="Llama4ModelProblem.LoadFailed"/> and no path.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying error.</param>
    public Llama4ModelValidationException(string message, Exception? innerException)
        : this(Llama4ModelProblem.LoadFailed, string.Empty, message, innerException)
    {
    }

    /// <summary>Creates an exception for a specific problem with a specific file.</summary>
    /// <param name="problem">The kind of problem.</param>
    /// <param name="modelPath">The model file's path.</param>
    /// <param name="message">What went wrong and how to fix it.</param>
    public Llama4ModelValidationException(Llama4ModelProblem problem, string modelPath, string message)
        : this(problem, modelPath, message, null)
    {
    }

    /// <summary>Creates an exception for a specific problem with a specific file.</summary>
    /// <param name="problem">The kind of problem.</param>
    /// <param name="modelPath">The model file's path.</param>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public Llama4ModelValidationException(Llama4ModelProblem problem, string modelPath, string message, Exception? innerException)
        : base(message, innerException)
    {
        Problem = problem;
        ModelPath = modelPath ?? string.Empty;
    }

    /// <summary>The kind of problem.</summary>
    public Llama4ModelProblem Problem { get; }

    /// <summary>The path of the model file (empty when unknown).</summary>
    public string ModelPath { get; }
}
