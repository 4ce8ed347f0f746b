namespace Llama4.Core;

/// <summary>llama.cpp failed to decode a batch. The requests in flight fail with this exception; the engine rebuilds its context and keeps serving.</summary>
public sealed class Llama4InferenceException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public Llama4InferenceException()
        : base("llama.cpp failed to decode a batch.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public Llama4InferenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public Llama4InferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
