using System.Diagnostics;
using System.Globalization;

namespace Llama4.Benchmarks.Measurement;

/// <summary>
/// Times synchronous operations many times on one thread. Each operation first runs its warm-up iterations (JIT tiers,
/// caches); then, after a full GC, the measured iterations run in <see cref="Blocks"/> blocks, every block running each
/// operation in turn (in an order rotated by one per block), so that drift of a shared machine spreads over all of them
/// instead of biasing the ones measured last. Each iteration is timed alone with <see cref="Stopwatch"/>; an operation
/// stops after <see cref="MicroBenchmarkSettings.Iterations"/> iterations or its time budget (never fewer than
/// <see cref="MicroBenchmarkSettings.MinimumIterations"/>). The median is the headline: on a shared machine a neighbour's
/// burst lands in a few iterations and moves the mean, not the median.
/// </summary>
internal static class MicroBenchmark
{
    private const int Blocks = 10;

    public static IReadOnlyList<MicroResult> MeasureAll(IReadOnlyList<(string Name, Action Operation)> operations, MicroBenchmarkSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        foreach (var (_, operation) in operations)
        {
            var warmupStarted = Stopwatch.GetTimestamp();
            for (var i = 0; i < settings.WarmupIterations && (i < 2 || Stopwatch.GetElapsedTime(warmupStarted) < settings.Budget / Blocks); i++)
            {
                operation();
            }
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var samples = operations.Select(_ => new List<double>(settings.Iterations)).ToArray();
        var allocated = new long[operations.Count];
        for (var block = 0; block < Blocks; block++)
        {
            for (var j = 0; j < operations.Count; j++)
            {
                var index = (j + block) % operations.Count;
                var operation = operations[index].Operation;
                var target = (settings.Iterations * (block + 1) / Blocks) - (settings.Iterations * block / Blocks);
                var minimum = (settings.MinimumIterations * (block + 1) / Blocks) - (settings.MinimumIterations * block / Blocks);
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                var started = Stopwatch.GetTimestamp();
                for (var i = 0; i < target && (i < minimum || Stopwatch.GetElapsedTime(started) < settings.Budget / Blocks); i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    operation();
                    samples[index].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }

                allocated[index] += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            }
        }

        var results = new List<MicroResult>(operations.Count);
        for (var index = 0; index < operations.Count; index++)
        {
            var result = new MicroResult(
                operations[index].Name,
                Summary.Of(samples[index]),
                SamplingProbeResult.Percentile(samples[index], 0.9),
                allocated[index] / (double)Math.Max(1, samples[index].Count));
            log.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {result.Name,-70} median {result.Microseconds.Median,10:F1} µs  p90 {result.P90Microseconds,10:F1} µs  n {samples[index].Count,5}  {result.AllocatedBytesPerOperation / 1024,9:F1} KiB/op"));
            results.Add(result);
        }

        return results;
    }
}
