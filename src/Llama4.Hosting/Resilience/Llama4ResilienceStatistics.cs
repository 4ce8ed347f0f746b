using Polly.CircuitBreaker;

namespace Llama4.Hosting;

/// <summary>
/// A snapshot of a <see cref="Llama4ResilientChatClient"/>'s admission control and circuit breaker, from
/// <c>chatClient.GetService&lt;Llama4ResilienceStatistics&gt;()</c>. The health check reads it.
/// </summary>
public sealed record Llama4ResilienceStatistics
{
    /// <summary>Gets how many requests may run at once.</summary>
    public int MaxConcurrentRequests { get; init; }

    /// <summary>Gets how many requests may wait for admission.</summary>
    public int QueueLimit { get; init; }

    /// <summary>Gets how many admitted requests are running.</summary>
    public int ActiveRequests { get; init; }

    /// <summary>Gets how many requests wait for admission.</summary>
    public int QueuedRequests { get; init; }

    /// <summary>Gets how many requests were rejected because the queue was full, since the client was created.</summary>
    public long RejectedRequests { get; init; }

    /// <summary>Gets how many requests ended on a timeout, since the client was created.</summary>
    public long TimedOutRequests { get; init; }

    /// <summary>Gets how many retries were made, since the client was created.</summary>
    public long Retries { get; init; }

    /// <summary>Gets the circuit breaker's state.</summary>
    public CircuitState CircuitState { get; init; }

    /// <summary>Gets whether a new request would be rejected now: every slot is busy and the queue is full.</summary>
    public bool IsSaturated => ActiveRequests >= MaxConcurrentRequests && QueuedRequests >= QueueLimit;
}
