using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using Llama4.Core;
using Llama4.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;

namespace Llama4.Hosting;

/// <summary>
/// Protects an in-process Llama 4 chat client under load and faults, on a Polly v8 pipeline: admission control sized
/// to the engine's sequences with a bounded wait queue (past it, <see cref="Llama4AdmissionRejectedException"/> at
/// once), time-to-first-token, stall and total timeouts that cancel the request and free its sequence
/// (<see cref="Llama4TimeoutRejectedException"/>), retries of engine failures only before the first token, a circuit
/// breaker on repeated engine failures (Polly's <see cref="BrokenCircuitException"/> while open) and an opt-in history
/// reduction on context overflow. Add it with <c>UseLlama4Resilience()</c>, after <c>UseFunctionInvocation()</c>.
/// </summary>
/// <remarks>
/// Both methods stream from the inner client, so the token timeouts apply to <see cref="GetResponseAsync"/> too. The
/// admission slot is held until the stream ends or the caller stops reading it.
/// </remarks>
public sealed partial class Llama4ResilientChatClient : DelegatingChatClient
{
    private static readonly ResiliencePropertyKey<Attempt> AttemptKey = new("Llama4.Resilience.Attempt");

    private readonly Llama4ResilienceOptions _options;
    private readonly ConcurrencyLimiter _limiter;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly ResiliencePipeline _pipeline;
    private readonly Llama4Engine? _engine;
    private readonly ILogger _logger;
    private readonly ResilienceMetrics _metrics;
    private long _rejected;
    private long _timedOut;
    private long _retries;

    /// <summary>Creates the client.</summary>
    /// <param name="innerClient">The client to protect, normally a <see cref="Llama4ChatClient"/> (possibly behind other middleware).</param>
    /// <param name="options">The settings (copied); defaults when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Logs rejections, timeouts, retries and circuit changes; optional.</param>
    /// <param name="meterFactory">Creates the <c>Llama4.Resilience</c> meter; optional (a process-wide meter otherwise).</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each problem.</exception>
    /// <exception cref="InvalidOperationException">
    /// <paramref name="innerClient"/> invokes functions (a retry would run a tool again), or it is not over a
    /// <see cref="Llama4Engine"/> and <see cref="Llama4ResilienceOptions.MaxConcurrentRequests"/> is not set.
    /// </exception>
    public Llama4ResilientChatClient(IChatClient innerClient, Llama4ResilienceOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
        : base(innerClient)
    {
        _options = options?.Clone() ?? new Llama4ResilienceOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Llama4ResilienceOptions: " + string.Join(" ", errors), nameof(options));
        }

        if (innerClient.GetService(typeof(FunctionInvokingChatClient)) is not null)
        {
            throw new InvalidOperationException(
                "Llama4ResilientChatClient must sit closer to the model than FunctionInvokingChatClient, or a retry could run a tool again: " +
                "call UseLlama4Resilience() after UseFunctionInvocation() in the ChatClientBuilder chain.");
        }

        _engine = innerClient.GetService(typeof(Llama4Engine)) as Llama4Engine;
        MaxConcurrentRequests = _options.MaxConcurrentRequests ?? _engine?.MaxParallelSequences ?? throw new InvalidOperationException(
            "The inner client is not over a Llama4Engine, so the admission limit cannot be sized to its sequences: set Llama4ResilienceOptions.MaxConcurrentRequests.");
        QueueLimit = _options.QueueLimit ?? MaxConcurrentRequests;

        _logger = loggerFactory?.CreateLogger<Llama4ResilientChatClient>() ?? (ILogger)NullLogger.Instance;
        _metrics = ResilienceMetrics.For(meterFactory);
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = MaxConcurrentRequests,
            QueueLimit = QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _pipeline = BuildPipeline();
    }

    /// <summary>Gets how many requests run at once.</summary>
    public int MaxConcurrentRequests { get; }

    /// <summary>Gets how many requests may wait for admission.</summary>
    public int QueueLimit { get; }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);

        // One update in flight: the producer runs the model only as fast as the caller reads, and the stall timer is
        // armed only while it waits for the model, not while it waits for the caller.
        var channel = Channel.CreateBounded<ChatResponseUpdate>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = ProduceAsync(messages as IList<ChatMessage> ?? [.. messages], options, channel.Writer, cancellationToken, stop.Token);
        try
        {
            while (await channel.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var update))
                {
                    yield return update;
                }
            }
        }
        finally
        {
            // The caller finished, failed or stopped reading: end the request and give its slot back before returning.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(Llama4ResilienceStatistics)
            ? GetStatistics()
            : base.GetService(serviceType, serviceKey);
    }

    /// <summary>Takes a snapshot of the admission queue, the counters and the circuit state.</summary>
    /// <returns>The snapshot.</returns>
    public Llama4ResilienceStatistics GetStatistics()
    {
        var limiter = _limiter.GetStatistics();
        return new Llama4ResilienceStatistics
        {
            MaxConcurrentRequests = MaxConcurrentRequests,
            QueueLimit = QueueLimit,
            ActiveRequests = MaxConcurrentRequests - (int)(limiter?.CurrentAvailablePermits ?? MaxConcurrentRequests),
            QueuedRequests = (int)(limiter?.CurrentQueuedCount ?? 0),
            RejectedRequests = Interlocked.Read(ref _rejected),
            TimedOutRequests = Interlocked.Read(ref _timedOut),
            Retries = Interlocked.Read(ref _retries),
            CircuitState = _circuit.CircuitState,
        };
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _limiter.Dispose();
        }

        base.Dispose(disposing);
    }

    private ResiliencePipeline BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder
        {
            Name = "Llama4.Resilience",
        };

        // Admission first: a retry keeps its slot, and a request waiting in the queue costs the engine nothing.
        builder.AddRateLimiter(new RateLimiterStrategyOptions
        {
            RateLimiter = args => _limiter.AcquireAsync(1, args.Context.CancellationToken),
        });

        if (_options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxRetryAttempts,
                Delay = _options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is Llama4InferenceException &&
                    args.Context.Properties.TryGetValue(AttemptKey, out var attempt) &&
                    !attempt.Delivered),
                OnRetry = args =>
                {
                    Interlocked.Increment(ref _retries);
                    _metrics.Retried();
                    LogRetry(_logger, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = _options.CircuitBreakerFailureRatio,
            MinimumThroughput = _options.CircuitBreakerMinimumThroughput,
            SamplingDuration = _options.CircuitBreakerSamplingDuration,
            BreakDuration = _options.CircuitBreakerBreakDuration,
            StateProvider = _circuit,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is Llama4InferenceException),
            OnOpened = args =>
            {
                LogCircuitOpened(_logger, args.BreakDuration, args.Outcome.Exception);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                LogCircuitClosed(_logger);
                return ValueTask.CompletedTask;
            },
        });

        return builder.Build();
    }

    private async Task ProduceAsync(IList<ChatMessage> messages, ChatOptions? options, ChannelWriter<ChatResponseUpdate> writer, CancellationToken callerToken, CancellationToken stopToken)
    {
        using var total = new CancellationTokenSource();
        if (_options.TotalTimeout is { } totalTimeout)
        {
            total.CancelAfter(totalTimeout);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopToken, total.Token);
        var attempt = new Attempt(messages, options, writer);
        var context = ResilienceContextPool.Shared.Get(linked.Token);
        context.Properties.Set(AttemptKey, attempt);
        _metrics.Queued(1);
        Exception? failure = null;
        try
        {
            await _pipeline.ExecuteAsync(static (ctx, self) => self.RunAttemptAsync(ctx), context, this).ConfigureAwait(false);
        }
        catch (RateLimiterRejectedException ex)
        {
            Interlocked.Increment(ref _rejected);
            _metrics.Rejected();
            LogRejected(_logger, MaxConcurrentRequests, QueueLimit);
            failure = new Llama4AdmissionRejectedException(MaxConcurrentRequests, QueueLimit, ex);
        }
        catch (OperationCanceledException ex) when (total.IsCancellationRequested && !callerToken.IsCancellationRequested && !stopToken.IsCancellationRequested)
        {
            failure = TimedOut(Llama4TimeoutKind.Total, _options.TotalTimeout!.Value, ex);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            if (attempt.Admitted)
            {
                _metrics.Active(-1);
            }
            else
            {
                _metrics.Queued(-1);
            }

            ResilienceContextPool.Shared.Return(context);
        }

        writer.TryComplete(failure);
    }

    private async ValueTask RunAttemptAsync(ResilienceContext context)
    {
        var attempt = context.Properties.GetValue(AttemptKey, null!);
        if (!attempt.Admitted)
        {
            attempt.Admitted = true;
            _metrics.Queued(-1);
            _metrics.Active(1);
        }

        var token = context.CancellationToken;
        using var timer = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timer.Token);
        Arm(timer, _options.TimeToFirstTokenTimeout);
        var enumerator = await OpenAsync(attempt, linked.Token).ConfigureAwait(false);
        try
        {
            while (true)
            {
                Arm(timer, attempt.Delivered ? _options.InterTokenTimeout : _options.TimeToFirstTokenTimeout);
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (timer.IsCancellationRequested && !token.IsCancellationRequested)
                {
                    throw attempt.Delivered
                        ? TimedOut(Llama4TimeoutKind.InterToken, _options.InterTokenTimeout!.Value, ex)
                        : TimedOut(Llama4TimeoutKind.TimeToFirstToken, _options.TimeToFirstTokenTimeout!.Value, ex);
                }
                catch (Llama4ContextOverflowException ex) when (CanReduce(attempt))
                {
                    await enumerator.DisposeAsync().ConfigureAwait(false);
                    await ReduceAsync(attempt, ex, token).ConfigureAwait(false);
                    enumerator = await OpenAsync(attempt, linked.Token).ConfigureAwait(false);
                    continue;
                }

                timer.CancelAfter(Timeout.InfiniteTimeSpan);
                if (!more)
                {
                    return;
                }

                attempt.Delivered = true;
                await attempt.Writer.WriteAsync(enumerator.Current, token).ConfigureAwait(false);
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private bool CanReduce(Attempt attempt) => _options.ReduceHistoryOnContextOverflow && !attempt.Reduced && !attempt.Delivered;

    private async Task<IAsyncEnumerator<ChatResponseUpdate>> OpenAsync(Attempt attempt, CancellationToken token)
    {
        try
        {
            return InnerClient.GetStreamingResponseAsync(attempt.Messages, attempt.Options, token).GetAsyncEnumerator(token);
        }
        catch (Llama4ContextOverflowException ex) when (CanReduce(attempt))
        {
            await ReduceAsync(attempt, ex, token).ConfigureAwait(false);
            return InnerClient.GetStreamingResponseAsync(attempt.Messages, attempt.Options, token).GetAsyncEnumerator(token);
        }
    }

    private async Task ReduceAsync(Attempt attempt, Llama4ContextOverflowException overflow, CancellationToken token)
    {
        attempt.Reduced = true;
        var messages = attempt.Messages;
        IEnumerable<ChatMessage> reduced;
        if (_options.ContextOverflowReducer is { } reducer)
        {
            reduced = await reducer.ReduceAsync(messages, token).ConfigureAwait(false);
        }
        else
        {
            // Token-exact: the history must shrink by what the request is over, and not a token more.
            // The engine may become known only after this client was built (a host that loads the model in the
            // background), so it is looked up again here.
            var engine = _engine ?? InnerClient.GetService(typeof(Llama4Engine)) as Llama4Engine ?? throw new InvalidOperationException(
                "ReduceHistoryOnContextOverflow needs a reducer: the inner client is not over a Llama4Engine, so set Llama4ResilienceOptions.ContextOverflowReducer.",
                overflow);
            var excess = overflow.PromptTokens + overflow.ReservedOutputTokens - overflow.ContextSize;
            var history = new Llama4ChatTokenCounter(engine).CountTokens(messages);
            var budget = history - excess;
            if (excess <= 0 || budget < 1)
            {
                throw overflow;
            }

            var truncating = new Llama4TruncatingChatReducer(engine, new Llama4TruncatingChatReducerOptions { TokenBudget = budget, TargetTokens = budget });
            reduced = await truncating.ReduceAsync(messages, token).ConfigureAwait(false);
        }

        attempt.Messages = reduced as IList<ChatMessage> ?? [.. reduced];
        _metrics.Reduced();
        LogReduced(_logger, messages.Count, attempt.Messages.Count, overflow.Message);
    }

    private Llama4TimeoutRejectedException TimedOut(Llama4TimeoutKind kind, TimeSpan timeout, Exception cause)
    {
        Interlocked.Increment(ref _timedOut);
        _metrics.TimedOut(kind);
        LogTimedOut(_logger, kind, timeout);
        return new Llama4TimeoutRejectedException(kind, timeout, cause);
    }

    private static void Arm(CancellationTokenSource timer, TimeSpan? timeout) =>
        timer.CancelAfter(timeout ?? Timeout.InfiniteTimeSpan);

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "Rejected a request: {Running} running and {Queued} waiting is the limit (Llama4ResilienceOptions.MaxConcurrentRequests, QueueLimit).")]
    private static partial void LogRejected(ILogger logger, int running, int queued);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "A request timed out ({Kind}, limit {Timeout}); it was cancelled and its sequence freed.")]
    private static partial void LogTimedOut(ILogger logger, Llama4TimeoutKind kind, TimeSpan timeout);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "The engine failed before the first token; retry {Attempt} in {Delay}.")]
    private static partial void LogRetry(ILogger logger, int attempt, TimeSpan delay, Exception? exception);

    [LoggerMessage(EventId = 603, Level = LogLevel.Error, Message = "Repeated engine failures: the circuit is open for {BreakDuration}; requests fail at once with BrokenCircuitException.")]
    private static partial void LogCircuitOpened(ILogger logger, TimeSpan breakDuration, Exception? exception);

    [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "The engine recovered: the circuit is closed.")]
    private static partial void LogCircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 605, Level = LogLevel.Information, Message = "The request did not fit the context; reduced its history from {Before} to {After} messages and tried again. {Overflow}")]
    private static partial void LogReduced(ILogger logger, int before, int after, string overflow);

    /// <summary>The state of one request across its attempts.</summary>
    private sealed class Attempt(IList<ChatMessage> messages, ChatOptions? options, ChannelWriter<ChatResponseUpdate> writer)
    {
        public IList<ChatMessage> Messages { get; set; } = messages;

        public ChatOptions? Options { get; } = options;

        public ChannelWriter<ChatResponseUpdate> Writer { get; } = writer;

        /// <summary>Gets or sets whether an update reached the caller; from then on nothing is retried.</summary>
        public bool Delivered { get; set; }

        /// <summary>Gets or sets whether the history was reduced once already.</summary>
        public bool Reduced { get; set; }

        /// <summary>Gets or sets whether the request passed admission.</summary>
        public bool Admitted { get; set; }
    }
}
