using System.Globalization;
using Llama4.Benchmarks.Cli;
using Llama4.Benchmarks.Subjects;

namespace Llama4.Benchmarks.Reporting;

/// <summary>One performance target and whether a run met it.</summary>
internal sealed record TargetCheck(string Target, string Model, double Measured, double Goal)
{
    /// <summary>The lead's goal: constrained decode at least this share of free decode, same model, prompt and seed.</summary>
    public const double ConstrainedGoal = 0.7;

    /// <summary>Each constrained contender, its free-text twin (same prompt tokens) and the target's wording.</summary>
    public static IReadOnlyList<(string Constrained, string Free, string Target)> ConstrainedPairs { get; } =
    [
        (SubjectNames.EngineJson, SubjectNames.EngineFree, "Structured output (JSON schema), single stream, decode tok/s: engine >= 0.7x free text of the same prompt"),
        (SubjectNames.EngineRequiredTool, SubjectNames.EngineToolPromptFree, "Required tool call, single stream, decode tok/s: engine >= 0.7x free text of the same tool prompt"),
        (SubjectNames.ClientJson, SubjectNames.ClientFree, "Structured output through Llama4ChatClient (ResponseFormat), decode tok/s >= 0.7x its free text"),
        (SubjectNames.ClientRequiredTool, SubjectNames.ClientToolsAuto, "Required tool call through Llama4ChatClient (RequireAny), decode tok/s >= 0.7x the same tools in Auto mode"),
    ];

    /// <summary>The goal: the next turn's time to first token with KV-cache reuse at least this many times faster than full re-processing.</summary>
    public const double ContextGoal = 20;

    /// <summary>The history size the context goal is set for.</summary>
    public const int ContextGoalHistoryTokens = 32_000;

    /// <summary>Each full re-processing baseline of the context suite and how the target names it.</summary>
    public static IReadOnlyList<(string Baseline, string Description)> ContextBaselines { get; } =
    [
        (SubjectNames.ContextFull, "full re-processing with the same settings (ReuseKvCache = false, flash attention off)"),
        (SubjectNames.ContextFullFlash, "full re-processing with flash attention on (the fastest full re-processing on this CPU)"),
        (SubjectNames.ContextLLamaSharp, "LLamaSharp's AsChatClient (StatelessExecutor, its own prompt format)"),
    ];

    public bool Met => Measured >= Goal;

    /// <summary>The measured ratio with two decimals, or three where two would round a miss up to the goal.</summary>
    public string MeasuredText => !Met && Math.Round(Measured, 2) >= Goal
        ? string.Create(CultureInfo.InvariantCulture, $"{Measured:F3}x")
        : string.Create(CultureInfo.InvariantCulture, $"{Measured:F2}x");

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

    /// <summary>Constrained generation: decode tokens per second of each constrained contender against its free-text twin.</summary>
    public static IEnumerable<TargetCheck> ForConstrained(ConstrainedResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var model = results.Profile.Model.ToString().ToLowerInvariant();
        foreach (var (constrained, free, target) in ConstrainedPairs)
        {
            if (results.Single(constrained) is { } c && results.Single(free) is { } f && f.Decode.Median > 0)
            {
                yield return new TargetCheck(target, model, c.Decode.Median / f.Decode.Median, ConstrainedGoal);
            }
        }
    }

    /// <summary>
    /// The context goal, against each baseline that ran at the 32k size (in a run without that size, at the largest
    /// measured, marked as such).
    /// </summary>
    public static IEnumerable<TargetCheck> ForContext(ContextResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var size = results.Histories.FirstOrDefault(h => h.TargetTokens == ContextGoalHistoryTokens)
            ?? (results.Histories.Count > 0 ? results.Histories[^1] : null);
        if (size?.TtftMs(SubjectNames.ContextReuse) is not { } reused || reused <= 0)
        {
            yield break;
        }

        var history = size.TargetTokens == ContextGoalHistoryTokens
            ? string.Create(CultureInfo.InvariantCulture, $"{size.HistoryTokens:N0}-token history")
            : string.Create(CultureInfo.InvariantCulture, $"{size.HistoryTokens:N0}-token history (goal set for 32k; this run had no 32k size)");
        foreach (var (baseline, description) in ContextBaselines)
        {
            if (size.TtftMs(baseline) is { } full)
            {
                yield return new TargetCheck(
                    string.Create(CultureInfo.InvariantCulture, $"Time to first token of the next turn, {history}: KV cache reused >= {ContextGoal:F0}x faster than {description}"),
                    "tiny",
                    full / reused,
                    ContextGoal);
            }
        }
    }
}
