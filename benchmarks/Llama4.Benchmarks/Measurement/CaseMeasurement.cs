namespace Llama4.Benchmarks.Measurement;

/// <summary>The measured (not warm-up) runs of one case.</summary>
internal sealed record CaseMeasurement(BenchmarkCase Case, IReadOnlyList<RunResult> Runs)
{
    /// <summary>Output tokens per second of wall time; for a single stream, its end-to-end throughput.</summary>
    public Summary Aggregate => Summary.Of(Runs.Select(r => r.AggregateTokensPerSecond));

    public Summary Decode => Summary.Of(Runs.Select(r => r.DecodeTokensPerSecond));

    public Summary TimeToFirstTextMs => Summary.Of(Runs.Select(r => r.MedianTimeToFirstText.TotalMilliseconds));

    public Summary WallMs => Summary.Of(Runs.Select(r => r.Wall.TotalMilliseconds));

    public Summary CpuMicrosecondsPerToken => Summary.Of(Runs.Select(r => r.CpuMicrosecondsPerToken));

    public Summary AllocatedBytesPerToken => Summary.Of(Runs.Select(r => r.AllocatedBytesPerToken));

    public Summary OutputTokens => Summary.Of(Runs.Select(r => (double)r.OutputTokens));

    /// <summary>The engine counters of the median-throughput run, when the case ran on the engine.</summary>
    public EngineCounters? Engine => Runs.Where(r => r.Engine is not null)
        .OrderBy(r => r.AggregateTokensPerSecond)
        .Select(r => r.Engine)
        .ElementAtOrDefault(Runs.Count / 2);
}
