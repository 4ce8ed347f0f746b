namespace Llama4.Core;

/// <summary>The requested native backend (for example CUDA) could not be loaded.</summary>
public sealed class Llama4BackendUnavailableException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public Llama4BackendUnavailableException()
        : base("The requested llama.cpp backend could not be loaded.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public Llama4BackendUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public Llama4BackendUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
