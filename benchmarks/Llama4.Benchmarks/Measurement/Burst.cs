using System.Diagnostics;
using Llama4.Core;

namespace Llama4.Benchmarks.Measurement;

/// <summary>Starts a burst of requests together and times it as one run (the shape every contender shares).</summary>
internal static class Burst
{
    /// <summary>Runs <paramref name="concurrency"/> requests at once; each gets its index and the run's start timestamp.</summary>
    public static async Task<RunResult> RunAsync(
        int concurrency,
        Func<int, long, CancellationToken, Task<RequestResult>> request,
        Llama4Engine? engine,
        CancellationToken cancellationToken)
    {
        var before = engine?.GetStatistics();
        var start = Stopwatch.GetTimestamp();
        var requests = new Task<RequestResult>[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var index = i;
            requests[i] = Task.Run(() => request(index, start, cancellationToken), cancellationToken);
        }

        var results = await Task.WhenAll(requests);
        var wall = Stopwatch.GetElapsedTime(start);
        return new RunResult(results, wall, before is null ? null : EngineCounters.Between(before, engine!.GetStatistics()));
    }
}
