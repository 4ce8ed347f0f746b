namespace Llama4.Benchmarks.Measurement;

/// <summary>One open-loop run: a fixed arrival schedule sent to one client, with or without admission control.</summary>
internal sealed record LoadRun(
    double LoadMultiple,
    bool AdmissionControl,
    double OfferedRequestsPerSecond,
    IReadOnlyList<LoadRequestOutcome> Outcomes,
    TimeSpan Elapsed,
    int MaxQueuedInEngine)
{
    public int Requests => Outcomes.Count;

    public int Completed => Outcomes.Count(o => o.Kind == LoadOutcomeKind.Completed);

    public int Rejected => Outcomes.Count(o => o.Kind == LoadOutcomeKind.Rejected);

    public int Failed => Outcomes.Count(o => o.Kind == LoadOutcomeKind.Failed);

    /// <summary>Completed requests per second, from the first arrival to the last completion.</summary>
    public double Throughput => Completed / Elapsed.TotalSeconds;

    /// <summary>Output tokens of completed requests per second, over the same span.</summary>
    public double OutputTokensPerSecond => Outcomes.Where(o => o.Kind == LoadOutcomeKind.Completed).Sum(o => o.OutputTokens) / Elapsed.TotalSeconds;

    /// <summary>End-to-end latency of completed requests (from the scheduled arrival), in milliseconds, at a percentile.</summary>
    public double Latency(double percentile) => Percentile(Completions.Select(o => o.Latency.TotalMilliseconds), percentile);

    /// <summary>Time to the first token of completed requests, from the scheduled arrival, in milliseconds.</summary>
    public double TimeToFirstToken(double percentile) => Percentile(Completions.Select(o => o.TimeToFirstToken.TotalMilliseconds), percentile);

    /// <summary>How long a rejected request waited for its rejection, in milliseconds.</summary>
    public double RejectionLatency(double percentile) => Percentile(Outcomes.Where(o => o.Kind == LoadOutcomeKind.Rejected).Select(o => o.Latency.TotalMilliseconds), percentile);

    private IEnumerable<LoadRequestOutcome> Completions => Outcomes.Where(o => o.Kind == LoadOutcomeKind.Completed);

    /// <summary>Nearest-rank percentile; NaN when there is no value.</summary>
    public static double Percentile(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
