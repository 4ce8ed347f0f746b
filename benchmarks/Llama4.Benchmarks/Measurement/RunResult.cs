namespace Llama4.Benchmarks.Measurement;

/// <summary>One run of a contender: a burst of concurrent requests started together, timed from start to last token.</summary>
internal sealed record RunResult(IReadOnlyList<RequestResult> Requests, TimeSpan Wall, EngineCounters? Engine = null)
{
    public int OutputTokens => Requests.Sum(r => r.OutputTokens);

    /// <summary>Gets the CPU time the whole process used during the run (all threads, native ones included).</summary>
    public TimeSpan CpuTime { get; init; }

    /// <summary>Gets the managed bytes the whole process allocated during the run.</summary>
    public long AllocatedBytes { get; init; }

    public double CpuMicrosecondsPerToken => OutputTokens > 0 ? CpuTime.TotalMicroseconds / OutputTokens : 0;

    public double AllocatedBytesPerToken => OutputTokens > 0 ? (double)AllocatedBytes / OutputTokens : 0;

    /// <summary>All output tokens of the burst per second of wall time (tokenization, prefill and queueing included).</summary>
    public double AggregateTokensPerSecond => OutputTokens / Wall.TotalSeconds;

    /// <summary>The decode rate of a single stream; for bursts, the median request's.</summary>
    public double DecodeTokensPerSecond => Summary.Of(Requests.Select(r => r.DecodeTokensPerSecond)).Median;

    public TimeSpan MedianTimeToFirstText => TimeSpan.FromTicks((long)Summary.Of(Requests.Select(r => (double)r.TimeToFirstText.Ticks)).Median);
}
