namespace Llama4.Benchmarks.Measurement;

/// <summary>How long <see cref="MicroBenchmark"/> measures one operation.</summary>
internal sealed record MicroBenchmarkSettings(int WarmupIterations, int Iterations, int MinimumIterations, TimeSpan Budget)
{
    /// <summary>Full runs: up to 200 warm-up and 3000 measured iterations, at most about 10 s of each per operation.</summary>
    public static MicroBenchmarkSettings Full { get; } = new(200, 3000, 50, TimeSpan.FromSeconds(10));

    /// <summary>Smoke runs: a few iterations.</summary>
    public static MicroBenchmarkSettings Quick { get; } = new(5, 50, 10, TimeSpan.FromSeconds(1));
}
