using System.Text;

namespace Llama4.Benchmarks.Reporting;

/// <summary>
/// Puts docs/performance.md together from the parts a run produced. The constrained, converter, context and load suites write sections
/// between <c>&lt;!-- section: id --&gt;</c> and <c>&lt;!-- /section: id --&gt;</c> lines; a run that did not produce a
/// section keeps the existing file's copy of it verbatim, so one suite can be re-run without discarding the others'
/// numbers. A section no suite generates (<see cref="ConstrainedAnalysis"/>, written by hand, and
/// <see cref="Orchestration"/>, measured with the orchestration sample) is only ever kept.
/// The throughput suite's part is the unmarked text from the title to the first section; it is kept likewise when the
/// throughput suite did not run.
/// </summary>
internal static class ReportDocument
{
    public const string Constrained = "constrained";

    /// <summary>A hand-written analysis of the constrained section; no run generates it.</summary>
    public const string ConstrainedAnalysis = "constrained-analysis";

    public const string Converter = "converter";

    public const string Context = "context";

    public const string Load = "load";

    /// <summary>The orchestration sample's measurement (samples/10-Orchestration --compare); no suite generates it.</summary>
    public const string Orchestration = "orchestration";

    public const string Sampling = "sampling";

    /// <summary>The sampling suite's numbers before the engine had its own sampler, kept by hand; no run generates it.</summary>
    public const string SamplingBefore = "sampling-before";

    public const string Reproduce = "reproduce";

    /// <summary>The marked sections in document order, before <see cref="Reproduce"/>.</summary>
    private static readonly string[] Order = [Constrained, ConstrainedAnalysis, Converter, Context, Load, Sampling, SamplingBefore, Orchestration];

    private const string ReproduceHeading = "## How to reproduce";

    /// <summary>Builds the report.</summary>
    /// <param name="existing">The file being replaced, or null when there is none.</param>
    /// <param name="throughput">The throughput suite's part, or null when it did not run.</param>
    /// <param name="sections">The marked sections this run generated, by id.</param>
    /// <param name="reproduce">The "How to reproduce" section.</param>
    /// <param name="header">The title and introduction to use when neither <paramref name="existing"/> nor <paramref name="throughput"/> gives one.</param>
    public static string Compose(string? existing, string? throughput, IReadOnlyDictionary<string, string> sections, string reproduce, string header)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var md = new StringBuilder();
        md.Append(EndWithBlankLine(throughput ?? (existing is null ? header : UnmarkedHead(existing))));
        foreach (var id in Order)
        {
            var text = sections.TryGetValue(id, out var generated) ? generated : existing is null ? null : Extract(existing, id);
            if (text is not null)
            {
                md.Append(Wrap(id, text)).Append('\n');
            }
        }

        md.Append(Wrap(Reproduce, reproduce));
        return md.ToString();
    }

    /// <summary>The text between a section's markers, or null when the document has no such section.</summary>
    public static string? Extract(string document, string id)
    {
        ArgumentNullException.ThrowIfNull(document);
        var (start, end) = (StartMarker(id), EndMarker(id));
        var from = document.IndexOf(start, StringComparison.Ordinal);
        var to = from < 0 ? -1 : document.IndexOf(end, from, StringComparison.Ordinal);
        return from < 0 || to < 0 ? null : document[(from + start.Length)..to].Trim('\n') + "\n";
    }

    private static string Wrap(string id, string markdown) => $"{StartMarker(id)}\n{markdown.Trim('\n')}\n{EndMarker(id)}\n";

    private static string StartMarker(string id) => $"<!-- section: {id} -->";

    private static string EndMarker(string id) => $"<!-- /section: {id} -->";

    /// <summary>The document up to its first marked section, or up to "How to reproduce" in a file written before sections were marked.</summary>
    private static string UnmarkedHead(string document)
    {
        var first = document.IndexOf("<!-- section: ", StringComparison.Ordinal);
        var heading = document.IndexOf("\n" + ReproduceHeading, StringComparison.Ordinal);
        var end = first >= 0 ? first : heading >= 0 ? heading + 1 : document.Length;
        return document[..end];
    }

    private static string EndWithBlankLine(string text) => text.TrimEnd('\n') + "\n\n";
}
