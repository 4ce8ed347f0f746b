namespace Llama4.Benchmarks.Measurement;

/// <summary>The measured (not warm-up) runs of one case.</summary>
internal sealed record CaseMeasurement(BenchmarkCase Case, IReadOnlyList<RunResult> Runs)
{
    /// <summary>Output tokens per second of wall time; for a single stream, its end-to-end throughput.</summary>
    public Summary Aggregate => Summary.Of(Runs.Select(r => r.AggregateTokensPerSecond));

    public Summary Decode => Summary.Of(Runs.Select(r => r.DecodeTokensPerSecond));

    public Summary TimeToFirstTextMs => Summary.Of(Runs.Select(r => r.MedianTimeToFirstText.TotalMilliseconds));

    /// <summary>Time to the first sampled token (median request of each run), for contenders that report it.</summary>
    public Summary TimeToFirstTokenMs => Summary.Of(Runs
        .Select(r => Summary.Of(r.Requests.Where(q => q.TimeToFirstToken is not null).Select(q => q.TimeToFirstToken!.Value.TotalMilliseconds)).Median)
        .Where(ms => !double.IsNaN(ms)));

    /// <summary>Prompt tokens per request, for contenders that report them.</summary>
    public Summary PromptTokens => Summary.Of(Runs.SelectMany(r => r.Requests).Where(q => q.PromptTokens is not null).Select(q => (double)q.PromptTokens!.Value));

    /// <summary>Prompt tokens per request served from the KV cache, for contenders that report them.</summary>
    public Summary CachedPromptTokens => Summary.Of(Runs.SelectMany(r => r.Requests).Where(q => q.CachedPromptTokens is not null).Select(q => (double)q.CachedPromptTokens!.Value));

    /// <summary>How the measured requests ended, as "Stop 12, Length 3"; empty when the contender does not say.</summary>
    public string FinishReasons => string.Join(", ", Runs.SelectMany(r => r.Requests)
        .Where(q => q.FinishReason is not null)
        .GroupBy(q => q.FinishReason, StringComparer.Ordinal)
        .OrderByDescending(g => g.Count())
        .Select(g => $"{g.Key} {g.Count()}"));

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
