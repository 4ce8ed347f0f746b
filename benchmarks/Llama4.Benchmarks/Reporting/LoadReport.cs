using System.Globalization;
using System.Text;
using Llama4.Benchmarks.Measurement;

namespace Llama4.Benchmarks.Reporting;

/// <summary>Renders the load section: latency percentiles and throughput under open-loop load, with and without admission control.</summary>
internal static class LoadReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(ReportContext context, LoadResults results)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(results);
        var md = new StringBuilder();
        var machine = context.Machine;
        md.AppendLine("## Under load: admission control against an unbounded queue");
        md.AppendLine();
        md.AppendLine(Invariant, $"Measured on {results.Date:yyyy-MM-dd HH:mm} UTC, in one process, with the command");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine(context.CommandLine);
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine(Invariant, $"Machine: {machine.CpuModel}, {machine.LogicalCores} logical cores (shared virtual machine), {machine.MemoryGiB:F1} GiB, {machine.DotNet}, LLamaSharp {machine.LLamaSharpVersion} (CPU backend), {results.Threads} llama.cpp thread(s). " +
            $"The suite took {results.Elapsed.TotalMinutes:F1} min; {Load(results.OtherProcessesCores, machine.LogicalCores)}");
        md.AppendLine();
        if (context.Options.Quick)
        {
            md.AppendLine("> **Quick smoke run**: a short arrival window. These numbers show that the runner works, not how the engine behaves under load.");
            md.AppendLine();
        }

        md.AppendLine("**Method.** One engine on the tiny model with " + results.Capacity.ToString(Invariant) + " sequences (KV-cache reuse on, the default), " +
            results.MaxOutputTokens.ToString(Invariant) + " output tokens at most per request, every request a new user turn after the same system prompt. " +
            "A closed loop of " + results.Capacity.ToString(Invariant) + " callers first measures the capacity: " +
            string.Create(Invariant, $"**{results.CapacityRequestsPerSecond:F1} requests/s** ({results.CalibrationOutputTokens:F1} output tokens per request on average; the random model sometimes ends early). ") +
            string.Create(Invariant, $"Then, for {results.ArrivalWindow.TotalSeconds:F0} s at each level, requests arrive as a Poisson process at 1x, 2x and 4x that rate (open loop: arrivals do not wait for completions), ") +
            "and the same arrival schedule goes once to the plain `Llama4ChatClient` (every request waits in the engine's queue) and once to `Llama4ResilientChatClient` with its defaults " +
            "(as many requests admitted as the engine has sequences, a queue as long, immediate `Llama4AdmissionRejectedException` past it). " +
            "Latency runs from a request's scheduled arrival to its last token; throughput counts completed requests from the first arrival to the last completion.");
        md.AppendLine();
        md.AppendLine("| Offered load | Admission control | Requests | Completed | Rejected | Latency p50 | p95 | p99 | First token p50 | p99 | Throughput | Output tokens/s | Rejected within (p99) | Engine queue (max) |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in results.Runs)
        {
            md.AppendLine(Invariant,
                $"| {run.LoadMultiple:0.#}x ({run.OfferedRequestsPerSecond:F1}/s) | {(run.AdmissionControl ? "on" : "off")} | {run.Requests} | {run.Completed} | {run.Rejected}{Failed(run)} | {Ms(run.Latency(50))} | {Ms(run.Latency(95))} | {Ms(run.Latency(99))} | {Ms(run.TimeToFirstToken(50))} | {Ms(run.TimeToFirstToken(99))} | {run.Throughput:F1}/s | {run.OutputTokensPerSecond:F0} | {(run.Rejected > 0 ? Ms(run.RejectionLatency(99)) : "-")} | {run.MaxQueuedInEngine} |");
        }

        md.AppendLine();
        md.AppendLine("**Ratios, admission control on / off, same arrivals, same process:**");
        md.AppendLine();
        md.AppendLine("| Offered load | p50 latency | p99 latency | Throughput | Completed |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var group in results.Runs.GroupBy(r => r.LoadMultiple))
        {
            var off = group.Single(r => !r.AdmissionControl);
            var on = group.Single(r => r.AdmissionControl);
            md.AppendLine(Invariant,
                $"| {group.Key:0.#}x | {Ratio(on.Latency(50), off.Latency(50))} | {Ratio(on.Latency(99), off.Latency(99))} | {Ratio(on.Throughput, off.Throughput)} | {on.Completed}/{off.Completed} |");
        }

        md.AppendLine();
        WriteReading(md, results);
        return md.ToString();
    }

    /// <summary>What the highest load shows, in numbers taken from this run only.</summary>
    private static void WriteReading(StringBuilder md, LoadResults results)
    {
        var top = results.Runs.Max(r => r.LoadMultiple);
        var off = results.Runs.Single(r => r.LoadMultiple == top && !r.AdmissionControl);
        var on = results.Runs.Single(r => r.LoadMultiple == top && r.AdmissionControl);
        md.AppendLine(Invariant,
            $"At {top:0.#}x, without admission control every request was served, but the engine's queue reached {off.MaxQueuedInEngine} requests and the p99 latency {Ms(off.Latency(99))}: " +
            $"the wait grows for as long as the overload lasts. With admission control {on.Rejected} of {on.Requests} requests ({100.0 * on.Rejected / on.Requests:F0}%) were refused, " +
            $"each within {Ms(on.RejectionLatency(99))} (p99), so their callers could back off or go elsewhere at once, and the admitted ones kept a p99 latency of {Ms(on.Latency(99))}. " +
            $"Completed requests per second: {off.Throughput:F1} without, {on.Throughput:F1} with admission control, against {results.CapacityRequestsPerSecond:F1} measured by the closed loop.");
    }

    private static string Failed(LoadRun run) => run.Failed > 0 ? string.Create(Invariant, $" (+{run.Failed} failed)") : string.Empty;

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value >= 10_000
        ? string.Create(Invariant, $"{value / 1000:F1} s")
        : string.Create(Invariant, $"{value:F0} ms");

    private static string Ratio(double on, double off) => double.IsNaN(on) || double.IsNaN(off) || off == 0
        ? "-"
        : string.Create(Invariant, $"{on / off:F2}x");

    private static string Load(double? otherProcessesCores, int cores) => otherProcessesCores is { } other
        ? string.Create(Invariant, $"other processes kept {other:F2} of the {cores} cores busy on average meanwhile (from /proc/stat).")
        : "the load from other processes was not measured.";
}
