using Polly;

namespace Llama4.Hosting;

/// <summary>
/// A request was refused at once because every slot of <see cref="Llama4ResilientChatClient"/> was busy and its wait
/// queue was full. Nothing reached the engine. An <see cref="ExecutionRejectedException"/>, like Polly's own rejections.
/// </summary>
public sealed class Llama4AdmissionRejectedException : ExecutionRejectedException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public Llama4AdmissionRejectedException()
        : base("The Llama 4 engine is at capacity and its queue is full; retry later.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public Llama4AdmissionRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public Llama4AdmissionRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that names the limits that were reached.</summary>
    /// <param name="maxConcurrentRequests">The number of requests that may run at once.</param>
    /// <param name="queueLimit">The number of requests that may wait.</param>
    /// <param name="innerException">Polly's rejection, if any.</param>
    public Llama4AdmissionRejectedException(int maxConcurrentRequests, int queueLimit, Exception? innerException = null)
        : base($"The Llama 4 engine is at capacity: {maxConcurrentRequests} requests are running and {queueLimit} are waiting (Llama4ResilienceOptions.MaxConcurrentRequests, QueueLimit). Retry later, or raise QueueLimit to wait instead of failing.", innerException!)
    {
        MaxConcurrentRequests = maxConcurrentRequests;
        QueueLimit = queueLimit;
    }

    /// <summary>Gets how many requests may run at once.</summary>
    public int MaxConcurrentRequests { get; }

    /// <summary>Gets how many requests may wait.</summary>
    public int QueueLimit { get; }
}
