using System.Diagnostics;
using System.Diagnostics.Metrics;
using Llama4.Core;
using Llama4.Extensions.AI;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Llama4.Hosting;

/// <summary>
/// Owns the hosted engine and the clients over it: loads and warms the model in the background when the host starts,
/// admits requests once it is ready, and on shutdown stops admitting, drains, cancels what is left after the drain
/// timeout, then disposes the clients and the engine, in that order.
/// </summary>
internal sealed partial class Llama4ModelHost : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly Llama4EngineOptions _engineOptions;
    private readonly Llama4ChatClientOptions _chatClientOptions;
    private readonly Llama4HostingOptions _hostingOptions;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMeterFactory? _meterFactory;
    private readonly ILogger _logger;
    private readonly Lock _sync = new();
    private readonly CancellationTokenSource _stopLoading = new();
    private readonly CancellationTokenSource _abortRequests = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loading = Task.CompletedTask;
    private Llama4Engine? _engine;
    private Llama4ChatClient? _chatClient;
    private Llama4EmbeddingGenerator? _embeddingGenerator;
    private int _inFlight;
    private bool _stopping;
    private bool _disposed;

    public Llama4ModelHost(
        IOptions<Llama4EngineOptions> engineOptions,
        IOptions<Llama4ChatClientOptions> chatClientOptions,
        IOptions<Llama4HostingOptions> hostingOptions,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
    {
        _engineOptions = engineOptions.Value;
        _chatClientOptions = chatClientOptions.Value;
        _hostingOptions = hostingOptions.Value;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _meterFactory = meterFactory;
        _logger = _loggerFactory.CreateLogger<Llama4ModelHost>();
        Status = new Llama4ModelStatus(_engineOptions.ModelPath);
    }

    public Llama4ModelStatus Status { get; }

    /// <summary>Gets the engine once the model is ready (and until it is disposed); <see langword="null"/> otherwise.</summary>
    public Llama4Engine? Engine
    {
        get
        {
            lock (_sync)
            {
                return _engine;
            }
        }
    }

    /// <summary>Asks the ready model's <see cref="Llama4ChatClient"/> for a service (metadata, engine); <see langword="null"/> before it is ready.</summary>
    public object? ChatClientService(Type serviceType)
    {
        lock (_sync)
        {
            return _chatClient?.GetService(serviceType);
        }
    }

    /// <summary>Asks the ready model's <see cref="Llama4EmbeddingGenerator"/> for a service (metadata, engine); <see langword="null"/> before it is ready.</summary>
    public object? EmbeddingGeneratorService(Type serviceType)
    {
        lock (_sync)
        {
            return _embeddingGenerator?.GetService(serviceType);
        }
    }

    /// <summary>
    /// What a hosted client's <c>GetService</c> answers: the model status, the client itself, the engine once loaded,
    /// else what <paramref name="readyService"/> finds on the ready model's client. Keyed services are never offered.
    /// </summary>
    public object? HostedService(object client, Type serviceType, object? serviceKey, Func<Type, object?> readyService)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(Llama4ModelStatus))
        {
            return Status;
        }

        if (serviceType.IsInstanceOfType(client))
        {
            return client;
        }

        return serviceType == typeof(Llama4Engine) ? Engine : readyService(serviceType);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_stopping || Status.State != Llama4ModelState.NotStarted)
            {
                return Task.CompletedTask;
            }

            Status.SetLoading();
            _loading = Task.Run(() => LoadAsync(_stopLoading.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        int inFlight;
        lock (_sync)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            inFlight = _inFlight;
            if (inFlight == 0)
            {
                _drained.TrySetResult();
            }
        }

        Status.SetStopping();
        await _stopLoading.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogLoadStillRunning(_logger);
        }

        if (inFlight > 0)
        {
            LogDraining(_logger, inFlight, _hostingOptions.ShutdownDrainTimeout);
            if (!await WaitDrainedAsync(_hostingOptions.ShutdownDrainTimeout, cancellationToken).ConfigureAwait(false))
            {
                LogCancellingInFlight(_logger, Volatile.Read(ref _inFlight));
                await _abortRequests.CancelAsync().ConfigureAwait(false);
                if (!await WaitDrainedAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false))
                {
                    LogRequestsStillOpen(_logger, Volatile.Read(ref _inFlight));
                }
            }
        }

        await DisposeModelAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // The host stops services before it disposes the container; this covers a container disposed without a stop.
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stopping = true;
        }

        if (Status.State != Llama4ModelState.Stopped)
        {
            Status.SetStopping();
        }

        await _stopLoading.CancelAsync().ConfigureAwait(false);
        await _abortRequests.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loading.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The load was abandoned because the host stopped.
        }

        await DisposeModelAsync().ConfigureAwait(false);
        _stopLoading.Dispose();
        _abortRequests.Dispose();
    }

    // A container disposed synchronously (not through the host) still releases the engine.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Waits for the model, then admits one request; the lease's token is cancelled when shutdown gives up on draining.</summary>
    /// <exception cref="Llama4ModelUnavailableException">The model failed to load.</exception>
    /// <exception cref="Llama4HostStoppingException">The host is stopping.</exception>
    public async Task<RequestLease> AdmitAsync(CancellationToken cancellationToken)
    {
        await Status.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        lock (_sync)
        {
            if (_stopping || _engine is null)
            {
                throw new Llama4HostStoppingException();
            }

            _inFlight++;
            return new RequestLease(this, _chatClient!, _embeddingGenerator!, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abortRequests.Token));
        }
    }

    private void Release()
    {
        lock (_sync)
        {
            if (--_inFlight == 0 && _stopping)
            {
                _drained.TrySetResult();
            }
        }
    }

    private async Task<bool> WaitDrainedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _drained.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Llama4Engine? engine = null;
        try
        {
            LogLoadStarting(_logger, _engineOptions.ModelPath, _engineOptions.ContextSize, _engineOptions.MaxParallelSequences);
            var estimate = Llama4MemoryEstimator.Estimate(_engineOptions);
            LogValidated(_logger, _engineOptions.ModelPath, estimate.TotalBytes / (1024 * 1024));
            engine = await Llama4Engine.LoadAsync(_engineOptions, _loggerFactory, _meterFactory, cancellationToken).ConfigureAwait(false);
            LogLoaded(_logger, engine.ModelId, engine.ActiveBackend, engine.ContextSize, engine.MaxParallelSequences, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (_hostingOptions.WarmUp)
            {
                var warmUpStarted = Stopwatch.GetTimestamp();
                await WarmUpAsync(engine, cancellationToken).ConfigureAwait(false);
                LogWarmedUp(_logger, engine.ModelId, Stopwatch.GetElapsedTime(warmUpStarted).TotalMilliseconds);
            }

            lock (_sync)
            {
                if (!_stopping)
                {
                    _chatClient = new Llama4ChatClient(engine, _chatClientOptions, _loggerFactory.CreateLogger<Llama4ChatClient>());
                    _embeddingGenerator = new Llama4EmbeddingGenerator(engine);
                    _engine = engine;
                    engine = null;
                    Status.SetReady();
                }
            }

            if (engine is null)
            {
                LogReady(_logger, _engineOptions.ModelPath, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogLoadAbandoned(_logger, _engineOptions.ModelPath);
        }
        catch (Exception ex)
        {
            LogLoadFailed(_logger, ex, _engineOptions.ModelPath);
            Status.SetFailed(ex);
        }
        finally
        {
            // Loaded after shutdown began (or warm-up failed): nobody else will dispose it.
            if (engine is not null)
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task WarmUpAsync(Llama4Engine engine, CancellationToken cancellationToken)
    {
        var request = new Llama4GenerationRequest(Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "Hi")]))
        {
            MaxOutputTokens = 1,
            Sampling = new Llama4SamplingOptions { Seed = 0 },
        };
        await foreach (var update in engine.GenerateAsync(request, cancellationToken).ConfigureAwait(false))
        {
            _ = update;
        }
    }

    private async Task DisposeModelAsync()
    {
        Llama4Engine? engine;
        Llama4ChatClient? chatClient;
        Llama4EmbeddingGenerator? embeddingGenerator;
        lock (_sync)
        {
            (engine, chatClient, embeddingGenerator) = (_engine, _chatClient, _embeddingGenerator);
            (_engine, _chatClient, _embeddingGenerator) = (null, null, null);
        }

        // Clients first, so that nothing reaches the engine while it is torn down.
        chatClient?.Dispose();
        embeddingGenerator?.Dispose();
        if (engine is not null)
        {
            var statistics = engine.GetStatistics();
            await engine.DisposeAsync().ConfigureAwait(false);
            LogStopped(_logger, engine.ModelId, statistics.LiveSequences, statistics.CompletedRequests);
        }

        Status.SetStopped();
    }

    [LoggerMessage(700, LogLevel.Information, "Loading the Llama 4 model '{ModelPath}' (context {ContextSize} tokens, {MaxParallelSequences} parallel sequences).")]
    private static partial void LogLoadStarting(ILogger logger, string modelPath, int contextSize, int maxParallelSequences);

    [LoggerMessage(701, LogLevel.Information, "Validated the Llama 4 model '{ModelPath}': it needs about {EstimatedMiB} MiB with this configuration.")]
    private static partial void LogValidated(ILogger logger, string modelPath, long estimatedMiB);

    [LoggerMessage(702, LogLevel.Information, "Loaded the Llama 4 model {ModelId} on {Backend} ({ContextSize} tokens, {MaxParallelSequences} sequences) in {ElapsedMilliseconds:F0} ms.")]
    private static partial void LogLoaded(ILogger logger, string modelId, Llama4Backend backend, int contextSize, int maxParallelSequences, double elapsedMilliseconds);

    [LoggerMessage(703, LogLevel.Information, "Warmed up the Llama 4 model {ModelId} in {ElapsedMilliseconds:F0} ms.")]
    private static partial void LogWarmedUp(ILogger logger, string modelId, double elapsedMilliseconds);

    [LoggerMessage(704, LogLevel.Information, "The Llama 4 model '{ModelPath}' is ready, {ElapsedMilliseconds:F0} ms after the host started it.")]
    private static partial void LogReady(ILogger logger, string modelPath, double elapsedMilliseconds);

    [LoggerMessage(705, LogLevel.Critical, "The Llama 4 model '{ModelPath}' failed to load; requests will fail with Llama4ModelUnavailableException until the host is restarted with a fixed configuration.")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string modelPath);

    [LoggerMessage(706, LogLevel.Information, "Loading the Llama 4 model '{ModelPath}' was abandoned because the host is stopping.")]
    private static partial void LogLoadAbandoned(ILogger logger, string modelPath);

    [LoggerMessage(707, LogLevel.Warning, "The host's shutdown timeout ran out while the Llama 4 model was still loading.")]
    private static partial void LogLoadStillRunning(ILogger logger);

    [LoggerMessage(708, LogLevel.Information, "Stopping: waiting up to {DrainTimeout} for {InFlight} Llama 4 requests in flight.")]
    private static partial void LogDraining(ILogger logger, int inFlight, TimeSpan drainTimeout);

    [LoggerMessage(709, LogLevel.Warning, "Stopping: cancelling {InFlight} Llama 4 requests still in flight after the drain timeout.")]
    private static partial void LogCancellingInFlight(ILogger logger, int inFlight);

    [LoggerMessage(710, LogLevel.Warning, "Stopping: {InFlight} cancelled Llama 4 requests had not ended when the host's shutdown timeout ran out; the engine is disposed under them.")]
    private static partial void LogRequestsStillOpen(ILogger logger, int inFlight);

    [LoggerMessage(711, LogLevel.Information, "Stopped the Llama 4 model {ModelId}: {LiveSequences} live sequences at disposal, {CompletedRequests} requests served.")]
    private static partial void LogStopped(ILogger logger, string modelId, int liveSequences, long completedRequests);

    /// <summary>One admitted request: its clients, and a token that shutdown cancels once the drain timeout has run out.</summary>
    internal sealed class RequestLease : IDisposable
    {
        private readonly Llama4ModelHost _host;
        private readonly CancellationTokenSource _token;
        private int _released;

        public RequestLease(Llama4ModelHost host, Llama4ChatClient chatClient, Llama4EmbeddingGenerator embeddingGenerator, CancellationTokenSource token)
        {
            _host = host;
            _token = token;
            ChatClient = chatClient;
            EmbeddingGenerator = embeddingGenerator;
        }

        public Llama4ChatClient ChatClient { get; }

        public Llama4EmbeddingGenerator EmbeddingGenerator { get; }

        public CancellationToken Token => _token.Token;

        /// <summary>Gets whether shutdown cancelled the request.</summary>
        public bool IsAborted => _host._abortRequests.IsCancellationRequested;

        public Llama4HostStoppingException Stopped(Exception cause) => new(
            $"The host stopped while this request was in flight, and it did not finish within the shutdown drain timeout (Hosting:ShutdownDrainTimeout, {_host._hostingOptions.ShutdownDrainTimeout}); it was cancelled. Retry it on another instance.",
            cause);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _token.Dispose();
                _host.Release();
            }
        }
    }
}
