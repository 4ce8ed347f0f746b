namespace Llama4.Hosting;

/// <summary>
/// Thrown to a request that arrives while the host is stopping, or that was still running when the shutdown drain
/// timeout (<see cref="Llama4HostingOptions.ShutdownDrainTimeout"/>) ran out and was cancelled.
/// </summary>
public sealed class Llama4HostStoppingException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public Llama4HostStoppingException()
        : this("The host is stopping: the Llama 4 model no longer accepts requests; send the request to another instance or retry after the restart.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened to the request.</param>
    public Llama4HostStoppingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened to the request.</param>
    /// <param name="innerException">The cancellation or disposal that ended the request.</param>
    public Llama4HostStoppingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
