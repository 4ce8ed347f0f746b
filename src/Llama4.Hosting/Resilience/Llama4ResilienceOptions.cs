using Microsoft.Extensions.AI;

namespace Llama4.Hosting;

/// <summary>
/// Settings of <see cref="Llama4ResilientChatClient"/>: admission control, timeouts, retry, circuit breaker and the
/// opt-in context-overflow degradation. Bound from the configuration section <c>Llama4:Resilience</c> by
/// <c>AddLlama4</c>. See docs/hosting.md for the defaults and why they are what they are.
/// </summary>
public sealed class Llama4ResilienceOptions
{
    /// <summary>The default <see cref="TimeToFirstTokenTimeout"/>: five minutes, enough for a long prompt on a CPU.</summary>
    public static readonly TimeSpan DefaultTimeToFirstTokenTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The default <see cref="InterTokenTimeout"/>: one minute, longer than one decode step beside another request's prompt chunk.</summary>
    public static readonly TimeSpan DefaultInterTokenTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The default <see cref="TotalTimeout"/>: fifteen minutes, queue wait included.</summary>
    public static readonly TimeSpan DefaultTotalTimeout = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Gets or sets how many requests run at once. Default <see langword="null"/>: the engine's
    /// <c>MaxParallelSequences</c>, so that every admitted request gets a sequence at once.
    /// </summary>
    public int? MaxConcurrentRequests { get; set; }

    /// <summary>
    /// Gets or sets how many requests may wait for admission; past it a request fails at once with
    /// <see cref="Llama4AdmissionRejectedException"/>. Default <see langword="null"/>: as many as
    /// <see cref="MaxConcurrentRequests"/>. Zero rejects every request that cannot start at once.
    /// </summary>
    public int? QueueLimit { get; set; }

    /// <summary>
    /// Gets or sets how long an admitted request may wait for its first token (prompt processing included).
    /// Default <see cref="DefaultTimeToFirstTokenTimeout"/>; <see langword="null"/> for no limit.
    /// </summary>
    public TimeSpan? TimeToFirstTokenTimeout { get; set; } = DefaultTimeToFirstTokenTimeout;

    /// <summary>
    /// Gets or sets how long a stream may stall between two tokens (the time the caller takes to consume an update
    /// does not count). Default <see cref="DefaultInterTokenTimeout"/>; <see langword="null"/> for no limit.
    /// </summary>
    public TimeSpan? InterTokenTimeout { get; set; } = DefaultInterTokenTimeout;

    /// <summary>
    /// Gets or sets how long a whole request may take, from the call (queue wait included) to the last token.
    /// Default <see cref="DefaultTotalTimeout"/>; <see langword="null"/> for no limit.
    /// </summary>
    public TimeSpan? TotalTimeout { get; set; } = DefaultTotalTimeout;

    /// <summary>
    /// Gets or sets how many times a request that failed in the engine (<c>Llama4InferenceException</c>) before its
    /// first token is retried. A failure after the first token is never retried: the caller has seen part of the
    /// answer, and it may hold a tool call. Default 2; 0 disables retries.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Gets or sets the delay before the first retry; later retries back off exponentially, with jitter. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Gets or sets the share of failed requests (engine failures only) within <see cref="CircuitBreakerSamplingDuration"/>
    /// that opens the circuit. Default 0.5.
    /// </summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many requests the sampling window must hold before the circuit may open. Default 5.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 5;

    /// <summary>Gets or sets the window over which failures are counted. Default 30 seconds.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long an open circuit rejects requests before it lets one through to test the engine. Default 30 seconds.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets whether a request that does not fit the context is reduced and tried once more, instead of failing
    /// with <c>Llama4ContextOverflowException</c>. Off by default: dropping history changes the answer, so it is the
    /// application's choice. The reducer is <see cref="ContextOverflowReducer"/>, or a token-exact
    /// <c>Llama4TruncatingChatReducer</c> over the engine when none is set.
    /// </summary>
    public bool ReduceHistoryOnContextOverflow { get; set; }

    /// <summary>Gets or sets the reducer used when <see cref="ReduceHistoryOnContextOverflow"/> is on. Not bindable from configuration.</summary>
    public IChatReducer? ContextOverflowReducer { get; set; }

    /// <summary>Checks every setting and returns the problems found, each naming the setting and the fix.</summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxConcurrentRequests is < 1)
        {
            errors.Add($"{nameof(MaxConcurrentRequests)} is {MaxConcurrentRequests}; use null for the engine's MaxParallelSequences or a positive number.");
        }

        if (QueueLimit is < 0)
        {
            errors.Add($"{nameof(QueueLimit)} is {QueueLimit}; use null for as many as {nameof(MaxConcurrentRequests)}, 0 for no queue, or a positive number.");
        }

        CheckTimeout(errors, nameof(TimeToFirstTokenTimeout), TimeToFirstTokenTimeout);
        CheckTimeout(errors, nameof(InterTokenTimeout), InterTokenTimeout);
        CheckTimeout(errors, nameof(TotalTimeout), TotalTimeout);
        if (MaxRetryAttempts is < 0 or > 10)
        {
            errors.Add($"{nameof(MaxRetryAttempts)} is {MaxRetryAttempts}; it must be between 0 (no retry) and 10.");
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            errors.Add($"{nameof(RetryDelay)} is {RetryDelay}; it must not be negative.");
        }

        if (CircuitBreakerFailureRatio is <= 0 or > 1 || double.IsNaN(CircuitBreakerFailureRatio))
        {
            errors.Add($"{nameof(CircuitBreakerFailureRatio)} is {CircuitBreakerFailureRatio}; it must be above 0 and at most 1.");
        }

        if (CircuitBreakerMinimumThroughput < 2)
        {
            errors.Add($"{nameof(CircuitBreakerMinimumThroughput)} is {CircuitBreakerMinimumThroughput}; it must be at least 2.");
        }

        if (CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500) || CircuitBreakerSamplingDuration > TimeSpan.FromDays(1))
        {
            errors.Add($"{nameof(CircuitBreakerSamplingDuration)} is {CircuitBreakerSamplingDuration}; it must be between 0.5 seconds and one day.");
        }

        if (CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500) || CircuitBreakerBreakDuration > TimeSpan.FromDays(1))
        {
            errors.Add($"{nameof(CircuitBreakerBreakDuration)} is {CircuitBreakerBreakDuration}; it must be between 0.5 seconds and one day.");
        }

        return errors;
    }

    internal Llama4ResilienceOptions Clone() => (Llama4ResilienceOptions)MemberwiseClone();

    private static void CheckTimeout(List<string> errors, string name, TimeSpan? value)
    {
        if (value is { } timeout && (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromDays(1)))
        {
            errors.Add($"{name} is {timeout}; use null for no limit or a positive duration of at most one day.");
        }
    }
}
