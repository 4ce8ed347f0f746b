using Polly.Timeout;

namespace Llama4.Hosting;

/// <summary>
/// A request ran past one of the limits of <see cref="Llama4ResilienceOptions"/>; its sequence has been freed. A
/// <see cref="TimeoutRejectedException"/>, so code that handles Polly's timeouts handles it too.
/// </summary>
public sealed class Llama4TimeoutRejectedException : TimeoutRejectedException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public Llama4TimeoutRejectedException()
        : base("The Llama 4 request timed out.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public Llama4TimeoutRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public Llama4TimeoutRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that names the limit that fired.</summary>
    /// <param name="kind">Which limit fired.</param>
    /// <param name="timeout">Its value.</param>
    /// <param name="innerException">The cancellation that stopped the request.</param>
    public Llama4TimeoutRejectedException(Llama4TimeoutKind kind, TimeSpan timeout, Exception? innerException = null)
        : base(Describe(kind, timeout), timeout, innerException!)
    {
        Kind = kind;
    }

    /// <summary>Gets which limit fired.</summary>
    public Llama4TimeoutKind Kind { get; }

    private static string Describe(Llama4TimeoutKind kind, TimeSpan timeout) => kind switch
    {
        Llama4TimeoutKind.TimeToFirstToken => $"No first token within {timeout} of admission (Llama4ResilienceOptions.TimeToFirstTokenTimeout). The request was cancelled and its sequence freed; shorten the prompt, raise the limit, or add capacity.",
        Llama4TimeoutKind.InterToken => $"The response stalled for {timeout} between two tokens (Llama4ResilienceOptions.InterTokenTimeout). The request was cancelled and its sequence freed; raise the limit if long prompts of other requests share the batch.",
        _ => $"The request took longer than {timeout} in all, queue wait included (Llama4ResilienceOptions.TotalTimeout). The request was cancelled and its sequence freed; lower MaxOutputTokens or raise the limit.",
    };
}
