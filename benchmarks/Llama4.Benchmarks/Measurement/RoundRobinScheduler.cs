using System.Diagnostics;
using System.Globalization;

namespace Llama4.Benchmarks.Measurement;

/// <summary>
/// Repeats a set of cases in rounds: warm-up rounds first (discarded), then measured rounds. Each round runs every case
/// once, in an order rotated by one per round, so slow drift of a shared machine (thermal, neighbours) spreads over all
/// cases instead of biasing the ones measured last. A full GC precedes every run, outside the timing. Each run also
/// records the process's CPU time and managed allocations (only one case runs at a time, so they are its own). Measured
/// rounds stop early once the time budget is spent, but never before two of them.
/// </summary>
internal static class RoundRobinScheduler
{
    private const int MinimumRounds = 2;

    public static async Task<IReadOnlyList<CaseMeasurement>> RunAsync(
        IReadOnlyList<BenchmarkCase> cases,
        int warmupRounds,
        int rounds,
        TimeSpan budget,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(log);
        var runs = cases.ToDictionary(c => c, _ => new List<RunResult>());
        var started = Stopwatch.GetTimestamp();
        for (var round = 0; round < warmupRounds + rounds; round++)
        {
            var warmup = round < warmupRounds;
            for (var i = 0; i < cases.Count; i++)
            {
                var benchmarkCase = cases[(i + round) % cases.Count];
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var cpuBefore = ProcessCpuClock.Now();
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var result = await benchmarkCase.Subject.RunAsync(benchmarkCase.Concurrency, cancellationToken);
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                result = result with { CpuTime = ProcessCpuClock.Now() - cpuBefore, AllocatedBytes = allocated };
                await log.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {(warmup ? "warm-up" : "round  ")} {round + 1,2}  {benchmarkCase.Label,-44} {result.OutputTokens,5} tok  {result.Wall.TotalMilliseconds,9:F1} ms  {result.AggregateTokensPerSecond,8:F1} tok/s"));
                if (!warmup)
                {
                    runs[benchmarkCase].Add(result);
                }
            }

            var measured = round + 1 - warmupRounds;
            if (measured >= MinimumRounds && measured < rounds && Stopwatch.GetElapsedTime(started) > budget)
            {
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  time budget of {budget.TotalSeconds:F0} s spent: stopping after {measured} measured rounds."));
                break;
            }
        }

        return [.. cases.Select(c => new CaseMeasurement(c, runs[c]))];
    }
}
