using System.Globalization;
using System.Text;
using Llama4.Benchmarks.Workload;

namespace Llama4.Benchmarks.Reporting;

/// <summary>Renders the converter section: the managed grammar pipeline every constrained request runs before llama.cpp.</summary>
internal static class ConverterReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(ReportContext context, ConverterResults results)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(results);
        var md = new StringBuilder();
        var machine = context.Machine;
        var settings = results.Settings;
        md.AppendLine("## JSON Schema to GBNF: converter, validator and tool-call grammars");
        md.AppendLine();
        md.AppendLine(Invariant, $"Measured on {results.Date:yyyy-MM-dd HH:mm} UTC, in one process, with the command");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine(context.CommandLine);
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine(Invariant, $"Machine: {machine.CpuModel}, {machine.LogicalCores} logical cores (shared virtual machine), {machine.DotNet}, {machine.GarbageCollector} GC, Release build. " +
            $"The suite took {results.Elapsed.TotalSeconds:F0} s; {Load(results.OtherProcessesCores, machine.LogicalCores)}");
        md.AppendLine();
        if (context.Options.Quick)
        {
            md.AppendLine("> **Quick smoke run**: few iterations. These numbers show that the runner works, not how fast anything is.");
            md.AppendLine();
        }

        md.AppendLine(string.Concat(
            "This is the managed work on the caller's thread before a constrained request is queued: `Llama4Engine.GenerateAsync` builds the grammar of a JSON reply " +
            "(`ToolCallGrammarSet.ForJsonResponse`) or of the tools (`ToolCallGrammarSet.Create`), and the builder validates every grammar with `GbnfValidator` (so that llama.cpp never sees one that crashes it). " +
            "llama.cpp then parses the text again on the inference-loop thread; that cost is in the constrained section (Grammar setup per request)."));
        md.AppendLine();
        md.AppendLine(Invariant, $"- **Method.** One thread; per operation up to {settings.WarmupIterations} warm-up iterations, a full GC, then up to {settings.Iterations} measured iterations or {settings.Budget.TotalSeconds:F0} s (at least {settings.MinimumIterations}), each timed alone with `Stopwatch`. " +
            $"Median with (min-max) and the 90th percentile; allocations are the measuring thread's managed bytes per iteration.");
        md.AppendLine(Invariant, $"- **The 50-property schema** ({ConverterSchema.Json.Length:N0} characters of JSON): {ConverterSchema.TopLevelProperties} top-level properties, 28 required: 14 strings (length bounds; formats uuid, email, date-time, date, time; 2 nullable), " +
            $"8 bounded integers, 5 bounded numbers (one exclusiveMaximum), 5 booleans, 6 enums (one mixing strings and a number), 5 nested objects (one two levels deep, one with no required member), " +
            $"6 arrays (of bounded strings, integers, enums and objects, with maxItems and minItems) and one anyOf (string or integer); additionalProperties false. " +
            $"The brief's call: `new GbnfGrammarBuilder().AddJsonSchema(schema, \"x\")`, then `Build(rule)`, which validates.");
        md.AppendLine("- **The tools** are the constrained suite's three `AIFunctionFactory` tools (`create_ticket`, `search_orders`, `get_weather`). `ToolCallGrammarSet.Create` converts each schema once to check it can be enforced, then builds and validates the call grammar (`AfterMarker`, which Required mode also uses).");
        md.AppendLine();
        md.AppendLine("| Operation | Median µs (min-max) | p90 µs | Allocated KiB/op | n |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var o in results.Operations)
        {
            md.AppendLine(Invariant, $"| {o.Name} | {MarkdownReport.Range(o.Microseconds, "F1")} | {o.P90Microseconds:F1} | {o.AllocatedBytesPerOperation / 1024:F1} | {o.Microseconds.Count} |");
        }

        md.AppendLine();
        md.AppendLine("| Grammar | Characters | Rules |");
        md.AppendLine("|---|---:|---:|");
        foreach (var (name, size) in results.Grammars)
        {
            md.AppendLine(Invariant, $"| {name} | {size.Characters:N0} | {size.Rules} |");
        }

        md.AppendLine();
        md.AppendLine("#### Observations from these numbers");
        md.AppendLine();
        var convert = results.Operation(ConverterBenchmark.Convert);
        var build = results.Operation(ConverterBenchmark.ConvertAndBuild);
        var validate = results.Operation(ConverterBenchmark.Validate);
        var required = results.Operation(ConverterBenchmark.ToolSetRequired);
        var toolValidate = results.Operation(ConverterBenchmark.ToolSetValidate);
        var json = results.Operation(ConverterBenchmark.BoundedJsonResponse);
        if (convert is not null && build is not null && validate is not null)
        {
            md.AppendLine(Invariant, $"- 50-property schema: conversion {convert.Microseconds.Median / 1000:F2} ms, conversion plus Build {build.Microseconds.Median / 1000:F2} ms, of which validation alone is {validate.Microseconds.Median / 1000:F2} ms ({validate.Microseconds.Median / build.Microseconds.Median * 100:F0}% of the total).");
        }

        if (json is not null && required is not null)
        {
            md.AppendLine(Invariant, $"- Per request, before the request is queued: {json.Microseconds.Median / 1000:F2} ms for the constrained suite's JSON reply, {required.Microseconds.Median / 1000:F2} ms for the three tools" +
                $"{(toolValidate is null ? "." : string.Create(Invariant, $" (validating their call grammar alone: {toolValidate.Microseconds.Median / 1000:F2} ms)."))}");
        }

        md.AppendLine();
        return md.ToString();
    }

    private static string Load(double? otherProcessesCores, int cores) => otherProcessesCores is { } other
        ? string.Create(Invariant, $"other processes kept {other:F2} of the {cores} cores busy on average meanwhile (from /proc/stat). On this shared machine single iterations are noisy (see the max column); the medians are what to read.")
        : "the load from other processes was not measured.";
}
