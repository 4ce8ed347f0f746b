namespace Llama4.Core.Inference;

/// <summary>A loop command with a result: <c>attempt</c> returns (false, _) to be retried on the next loop iteration.</summary>
internal sealed class LoopCommand<T> : LoopCommand
{
    private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<(bool Done, T Value)> _attempt;
    private readonly CancellationToken _cancellationToken;

    public LoopCommand(Func<(bool Done, T Value)> attempt, CancellationToken cancellationToken)
    {
        _attempt = attempt;
        _cancellationToken = cancellationToken;
    }

    public Task<T> Result => _result.Task;

    public override bool TryRun()
    {
        if (_cancellationToken.IsCancellationRequested)
        {
            _result.TrySetCanceled(_cancellationToken);
            return true;
        }

        try
        {
            var (done, value) = _attempt();
            if (done)
            {
                _result.TrySetResult(value);
            }

            return done;
        }
        catch (Exception ex)
        {
            _result.TrySetException(ex);
            return true;
        }
    }

    public override void Fail(Exception error) => _result.TrySetException(error);
}
