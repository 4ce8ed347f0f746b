namespace Llama4.Hosting;

/// <summary>
/// The state of the model that <c>AddLlama4</c> loads in the background at host start; resolve it from the services
/// to wait for the model or to report on it. The registered chat client and embedding generator wait for readiness
/// themselves.
/// </summary>
public sealed class Llama4ModelStatus
{
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Llama4ModelState _state;
    private volatile Exception? _failure;

    internal Llama4ModelStatus(string modelPath) => ModelPath = modelPath;

    /// <summary>Gets the configured model path.</summary>
    public string ModelPath { get; }

    /// <summary>Gets the current state.</summary>
    public Llama4ModelState State => _state;

    /// <summary>Gets why the model failed to load, when <see cref="State"/> is <see cref="Llama4ModelState.Failed"/>; otherwise <see langword="null"/>.</summary>
    public Exception? Failure => _failure;

    /// <summary>Waits until the model is ready to serve requests.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when <see cref="State"/> is <see cref="Llama4ModelState.Ready"/>.</returns>
    /// <exception cref="Llama4ModelUnavailableException">The model failed to load; the inner exception says why.</exception>
    /// <exception cref="Llama4HostStoppingException">The host is stopping or stopped.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken = default)
    {
        await _settled.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfNotReady();
    }

    internal void ThrowIfNotReady()
    {
        switch (_state)
        {
            case Llama4ModelState.Ready:
                return;
            case Llama4ModelState.Failed:
                throw new Llama4ModelUnavailableException(
                    $"The Llama 4 model '{ModelPath}' failed to load: {_failure?.Message} Fix the configuration and restart the host.",
                    _failure);
            case Llama4ModelState.Stopping or Llama4ModelState.Stopped:
                throw new Llama4HostStoppingException();
            default:
                throw new InvalidOperationException($"The Llama 4 model is {_state}; await WaitUntilReadyAsync first.");
        }
    }

    internal void SetLoading() => _state = Llama4ModelState.Loading;

    internal void SetReady()
    {
        _state = Llama4ModelState.Ready;
        _settled.TrySetResult();
    }

    internal void SetFailed(Exception failure)
    {
        _failure = failure;
        _state = Llama4ModelState.Failed;
        _settled.TrySetResult();
    }

    /// <summary>Moves to <see cref="Llama4ModelState.Stopping"/> unless the load failed (the failure stays visible).</summary>
    internal void SetStopping()
    {
        if (_state != Llama4ModelState.Failed)
        {
            _state = Llama4ModelState.Stopping;
        }

        _settled.TrySetResult();
    }

    internal void SetStopped()
    {
        if (_state != Llama4ModelState.Failed)
        {
            _state = Llama4ModelState.Stopped;
        }

        _settled.TrySetResult();
    }
}
