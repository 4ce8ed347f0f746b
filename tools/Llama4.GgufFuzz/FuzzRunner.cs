using System.Collections.Concurrent;

namespace Llama4.GgufFuzz;

/// <summary>
/// Loads files in child processes, each child serving many files in turn (starting a .NET process and llama.cpp costs
/// far more than loading a tiny model). A child that dies or exceeds the per-file limit is recorded against the file it
/// was working on and replaced by a fresh one, so every crash and hang is still attributed to exactly one file.
/// </summary>
public sealed class FuzzRunner
{
    private readonly FuzzChildCommand _command;
    private readonly TimeSpan _timeout;
    private readonly int _workers;

    /// <summary>Creates a runner.</summary>
    /// <param name="command">How to start a child (see <see cref="FuzzChildCommand.ForThisAssembly"/>).</param>
    /// <param name="perFileTimeout">How long one file may take before it counts as a hang.</param>
    /// <param name="workers">How many children run at once.</param>
    public FuzzRunner(FuzzChildCommand command, TimeSpan perFileTimeout, int workers = 1)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(perFileTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _command = command;
        _timeout = perFileTimeout;
        _workers = workers;
    }

    /// <summary>Loads every file and reports what each did, in index order.</summary>
    /// <param name="paths">The files; a result's index is the file's position here.</param>
    /// <param name="progress">Receives each result as it arrives; optional.</param>
    /// <param name="cancellationToken">Stops the run (children are killed).</param>
    /// <returns>One result per file.</returns>
    public async Task<IReadOnlyList<FuzzFileResult>> RunAsync(
        IReadOnlyList<string> paths,
        IProgress<FuzzFileResult>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var pending = new ConcurrentQueue<int>(Enumerable.Range(0, paths.Count));
        var results = new FuzzFileResult[paths.Count];
        Task[] workers = [.. Enumerable.Range(0, Math.Min(_workers, Math.Max(1, paths.Count))).Select(_ => Task.Run(async () =>
        {
            FuzzChildProcess? child = null;
            try
            {
                while (pending.TryDequeue(out int index))
                {
                    child ??= FuzzChildProcess.Start(_command);
                    FuzzFileResult result = await child.RunAsync(index, paths[index], _timeout, cancellationToken).ConfigureAwait(false);
                    results[index] = result;
                    progress?.Report(result);
                    if (result.Outcome is FuzzOutcome.Crash or FuzzOutcome.Hang)
                    {
                        child.Dispose();
                        child = null;
                    }
                }
            }
            finally
            {
                child?.Dispose();
            }
        }, cancellationToken))];
        await Task.WhenAll(workers).ConfigureAwait(false);
        return results;
    }
}
