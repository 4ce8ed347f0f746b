namespace Llama4.Hosting;

/// <summary>
/// Thrown to a request when the hosted model failed to load: <see cref="Exception.InnerException"/> is the load
/// failure (for example a <c>Llama4ModelValidationException</c> or <c>Llama4BackendUnavailableException</c>), also
/// available as <see cref="Llama4ModelStatus.Failure"/>.
/// </summary>
public sealed class Llama4ModelUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public Llama4ModelUnavailableException()
        : this("The Llama 4 model failed to load; see the inner exception, fix the configuration and restart the host.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the model is unavailable and how to fix it.</param>
    public Llama4ModelUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the model is unavailable and how to fix it.</param>
    /// <param name="innerException">The load failure.</param>
    public Llama4ModelUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
