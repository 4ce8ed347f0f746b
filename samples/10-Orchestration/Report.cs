using System.Globalization;
using Spectre.Console;

/// <summary>The sample's tables: tickets, agents, engine totals, and the comparison of the two cache modes.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Tickets(RunResult run)
    {
        var table = new Table().Title("Tickets").AddColumns("Ticket", "Routed to", "Draft (specialist)", "Final (editor)");
        foreach (var ticket in run.Tickets)
        {
            table.AddRow(Cell(ticket.Ticket), Markup.Escape(ticket.Specialist), Cell(ticket.Draft), Cell(ticket.Final));
        }

        AnsiConsole.Write(table);
    }

    public static void Agents(RunResult run)
    {
        var table = new Table().Title("Model calls per agent").AddColumns("Agent", "Calls", "Prompt tokens", "From the KV cache", "Decoded", "Output tokens", "First token, median ms");
        // In order of first appearance: triage first, the editor last.
        foreach (var agent in run.Turns.GroupBy(t => t.Agent))
        {
            long prompt = agent.Sum(t => t.PromptTokens), cached = agent.Sum(t => t.CachedTokens);
            table.AddRow(agent.Key, Number(agent.Count()), Number(prompt), Number(cached), Number(prompt - cached), Number(agent.Sum(t => t.OutputTokens)),
                RunResult.Median(agent.Select(t => (double)t.FirstTokenMilliseconds)).ToString("0", Invariant));
        }

        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated(Invariant,
            $"[grey]Engine: {run.PromptTokensDecoded:N0} prompt tokens decoded, {run.PromptTokensReused:N0} reused from the KV cache, {run.TokensGenerated:N0} generated; up to {run.MaxSequencesInOneDecode} sequences in one decode; {run.Elapsed.TotalSeconds:0.00} s.[/]");
    }

    public static void Comparison(IReadOnlyList<RunResult> runs)
    {
        var reuse = runs.Where(r => r.ReuseKvCache).ToList();
        var stateless = runs.Where(r => !r.ReuseKvCache).ToList();
        var table = new Table().Title($"Medians of {reuse.Count} run(s) per engine").AddColumns("", "Shared engine, prefix reuse", "No reuse", "Ratio");
        void Row(string name, Func<RunResult, double> value, string format)
        {
            double a = RunResult.Median(reuse.Select(value)), b = RunResult.Median(stateless.Select(value));
            table.AddRow(name, a.ToString(format, Invariant), b.ToString(format, Invariant), b == 0 ? "-" : (a / b).ToString("0.00x", Invariant));
        }

        Row("Total time, s", r => r.Elapsed.TotalSeconds, "0.00");
        Row("CPU time of the process, s", r => r.ProcessorTime.TotalSeconds, "0.00");
        Row("Prompt tokens decoded", r => r.PromptTokensDecoded, "N0");
        Row("Prompt tokens reused", r => r.PromptTokensReused, "N0");
        Row("Tokens generated", r => r.TokensGenerated, "N0");
        Row("First token, median agent turn, ms", r => r.MedianFirstTokenMilliseconds, "0");
        Row("First token, slowest agent turn, ms", r => r.Turns.Max(t => t.FirstTokenMilliseconds), "0");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        AnsiConsole.Write(table);
    }

    private static string Number(long value) => value.ToString("N0", Invariant);

    // Model output can hold anything: escape it, keep one line, and cut it short.
    private static string Cell(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return Markup.Escape(line.Length <= 48 ? line : line[..47] + "…");
    }
}
