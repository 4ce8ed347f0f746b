using System.Globalization;
using System.Text;

namespace Llama4.GgufFuzz;

/// <summary>The counts of a fuzzing run: outcomes, refusals by problem, outcomes by family, and every failure.</summary>
public sealed class FuzzSummary
{
    private readonly IReadOnlyList<(FuzzFamily Family, string Description)> _cases;
    private readonly IReadOnlyList<FuzzFileResult> _results;

    /// <summary>Creates the summary of a run.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="first">The index of the run's first case (results and cases are numbered from it).</param>
    /// <param name="cases">Each file's family and description, by index.</param>
    /// <param name="results">Each file's result, by index.</param>
    /// <param name="elapsed">The run's wall-clock time.</param>
    public FuzzSummary(int seed, int first, IReadOnlyList<(FuzzFamily Family, string Description)> cases, IReadOnlyList<FuzzFileResult> results, TimeSpan elapsed)
    {
        First = first;
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(results);
        Seed = seed;
        _cases = cases;
        _results = results;
        Elapsed = elapsed;
    }

    /// <summary>Gets the run's seed.</summary>
    public int Seed { get; }

    /// <summary>Gets the index of the run's first case.</summary>
    public int First { get; }

    /// <summary>Gets the run's wall-clock time.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Gets the number of files.</summary>
    public int Files => _results.Count;

    /// <summary>Gets the results that are neither a typed refusal nor a clean load.</summary>
    public IEnumerable<FuzzFileResult> Failures => _results.Where(r => r.Outcome is not (FuzzOutcome.Clean or FuzzOutcome.Refused));

    /// <summary>The number of files with an outcome.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The count.</returns>
    public int Count(FuzzOutcome outcome) => _results.Count(r => r.Outcome == outcome);

    /// <summary>The typed refusals by <c>Llama4ModelProblem</c>, most frequent first.</summary>
    /// <returns>Problem name and count.</returns>
    public IReadOnlyList<(string Problem, int Count)> RefusalsByProblem() =>
        [.. _results.Where(r => r.Outcome == FuzzOutcome.Refused)
            .GroupBy(r => ProblemOf(r.Detail), StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(p => p.Item2)
            .ThenBy(p => p.Key, StringComparer.Ordinal)];

    /// <summary>The problem name at the start of a refusal's detail (<c>InvalidMetadata: The model file ...</c>).</summary>
    /// <param name="detail">The detail.</param>
    /// <returns>The problem name.</returns>
    public static string ProblemOf(string detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        int colon = detail.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? detail : detail[..colon];
    }

    /// <summary>Renders the summary as Markdown.</summary>
    /// <returns>The text.</returns>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Seed {Seed}, cases {First} to {First + Files - 1}: {Files} files in {Elapsed.TotalSeconds:F0} s ({Elapsed.TotalMilliseconds / Math.Max(1, Files):F0} ms per file)."));
        text.AppendLine();
        text.AppendLine("| Outcome | Files |");
        text.AppendLine("|---|---:|");
        foreach (FuzzOutcome outcome in Enum.GetValues<FuzzOutcome>())
        {
            text.AppendLine(Invariant($"| {outcome} | {Count(outcome)} |"));
        }

        text.AppendLine();
        text.AppendLine("| Refusal (Llama4ModelProblem) | Files |");
        text.AppendLine("|---|---:|");
        foreach ((string problem, int count) in RefusalsByProblem())
        {
            text.AppendLine(Invariant($"| {problem} | {count} |"));
        }

        text.AppendLine();
        text.AppendLine("| Family | Files | Clean | Refused | Other |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (FuzzFamily family in Enum.GetValues<FuzzFamily>())
        {
            FuzzFileResult[] ofFamily = [.. _results.Where(r => _cases[r.Index].Family == family)];
            text.AppendLine(Invariant(
                $"| {family} | {ofFamily.Length} | {ofFamily.Count(r => r.Outcome == FuzzOutcome.Clean)} | {ofFamily.Count(r => r.Outcome == FuzzOutcome.Refused)} | {ofFamily.Count(r => r.Outcome is not (FuzzOutcome.Clean or FuzzOutcome.Refused))} |"));
        }

        foreach (FuzzFileResult failure in Failures)
        {
            text.AppendLine();
            text.AppendLine(Invariant($"- #{First + failure.Index} {failure.Outcome} ({_cases[failure.Index].Family}: {_cases[failure.Index].Description}): {failure.Detail}"));
        }

        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
