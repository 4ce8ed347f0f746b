using Llama4.Benchmarks.Cli;
using Llama4.Benchmarks.Subjects;

namespace Llama4.Benchmarks.Reporting;

/// <summary>One performance target and whether a run met it.</summary>
internal sealed record TargetCheck(string Target, string Model, double Measured, double Goal)
{
    public bool Met => Measured >= Goal;

    /// <summary>The targets the lead set, evaluated on one model's results.</summary>
    public static IEnumerable<TargetCheck> For(ModelResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var model = results.Profile.Model.ToString().ToLowerInvariant();
        if (results.Single(SubjectNames.Client) is { } client && results.Single(SubjectNames.Raw) is { } raw)
        {
            yield return new TargetCheck(
                "Single stream, end to end (tokens / request time): Llama4ChatClient >= 0.95x the raw BatchedExecutor loop",
                model,
                client.Aggregate.Median / raw.Aggregate.Median,
                0.95);
            yield return new TargetCheck(
                "Single stream, decode only (first to last token): Llama4ChatClient >= 0.95x the raw BatchedExecutor loop",
                model,
                client.Decode.Median / raw.Decode.Median,
                0.95);
        }

        var top = results.Profile.ConcurrencyLevels[^1];
        if (results.Concurrent(SubjectNames.Client, top) is { } many && results.Concurrent(SubjectNames.Client, 1) is { } one)
        {
            yield return new TargetCheck(
                $"Concurrency: {top} concurrent requests through one Llama4ChatClient >= 3x its single-stream aggregate tok/s" +
                (results.Profile.Model == BenchmarkModel.Tiny ? string.Empty : " (goal set for the tiny model; shown for reference)"),
                model,
                many.Aggregate.Median / one.Aggregate.Median,
                3.0);
        }
    }
}
