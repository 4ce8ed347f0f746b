using System.Globalization;
using System.Text;
using System.Text.Json;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Subjects;
using Llama4.Benchmarks.Workload;

namespace Llama4.Benchmarks.Reporting;

/// <summary>Renders the constrained-generation section. Every ratio compares numbers measured in the same run.</summary>
internal static class ConstrainedReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Each contender's free-text twin: the same prompt tokens, seed, sampling and output limit, no constraint.</summary>
    private static readonly Dictionary<string, string> Twins = new(StringComparer.Ordinal)
    {
        [SubjectNames.EngineJson] = SubjectNames.EngineFree,
        [SubjectNames.EngineRequiredTool] = SubjectNames.EngineToolPromptFree,
        [SubjectNames.ClientJson] = SubjectNames.ClientFree,
        [SubjectNames.ClientRequiredTool] = SubjectNames.ClientToolsAuto,
    };

    private static readonly Dictionary<string, string> ProbeTwins = new(StringComparer.Ordinal)
    {
        [ConstrainedBenchmark.ProbeJson] = ConstrainedBenchmark.ProbeFree,
        [ConstrainedBenchmark.ProbeJsonBasic] = ConstrainedBenchmark.ProbeFree,
        [ConstrainedBenchmark.ProbeJsonNone] = ConstrainedBenchmark.ProbeFree,
        [ConstrainedBenchmark.ProbeJsonTopK] = ConstrainedBenchmark.ProbeFree,
        [ConstrainedBenchmark.ProbeJsonMasked] = ConstrainedBenchmark.ProbeFree,
        [ConstrainedBenchmark.ProbeTool] = ConstrainedBenchmark.ProbeToolFree,
        [ConstrainedBenchmark.ProbeFiftyProperties] = ConstrainedBenchmark.ProbeFree,
    };

    public static string Render(ReportContext context, IReadOnlyList<ConstrainedResults> models)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(models);
        var md = new StringBuilder();
        var machine = context.Machine;
        md.AppendLine("## Constrained generation: structured output and required tool calls");
        md.AppendLine();
        md.AppendLine(Invariant, $"Measured on {machine.Date:yyyy-MM-dd HH:mm} UTC, in one process, with the command");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine(context.CommandLine);
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine(Invariant, $"Machine: {machine.CpuModel}, {machine.LogicalCores} logical cores (shared virtual machine), {machine.DotNet}, LLamaSharp {machine.LLamaSharpVersion} (CPU backend). " +
            $"Other processes' load on this shared machine is given per model below; single rounds are noisy, medians and same-run ratios are what to read.");
        md.AppendLine();
        if (context.Options.Quick)
        {
            md.AppendLine("> **Quick smoke run**: few tokens and rounds. These numbers show that the runner works, not how fast anything is.");
            md.AppendLine();
        }

        WriteMethod(md, models[0]);
        WriteTargets(md, models);
        foreach (var model in models)
        {
            WriteModel(md, model);
        }

        return md.ToString();
    }

    private static void WriteMethod(StringBuilder md, ConstrainedResults first)
    {
        md.AppendLine("### Method");
        md.AppendLine();
        md.AppendLine("- **Same request, three ways.** The throughput suite's prompt, sampling (" +
            string.Create(Invariant, $"temperature {first.Sampling.Temperature}, top-p {first.Sampling.TopP}, top-k off, min-p off, no penalties") +
            "), seeds (request *i* of a burst uses 42+*i*) and output limit (`MaxOutputTokens` " +
            string.Create(Invariant, $"{first.Profile.MaxOutputTokens}") + ", the same for every contender), generated (a) free, (b) as JSON valid against the schema below " +
            "(`Llama4GenerationRequest.JsonResponse` on the engine, `ChatOptions.ResponseFormat = ChatResponseFormat.ForJsonSchema(schema)` on the client), and " +
            "(c) as a required call of one of three tools (`ChatOptions.Tools` from `AIFunctionFactory.Create`, `ToolMode = ChatToolMode.RequireAny`; on the engine " +
            "`Llama4ToolOptions` with `Mode = Required`, built exactly as the client builds it).");
        md.AppendLine("- **Free-text twins.** Listing the tools makes the prompt longer, so the required call is compared with the *same tool prompt* generated free: on the engine a request with that prompt and no `Tools` (nothing parsed or constrained), on the client the same tools in `ToolMode.Auto` (the parser runs; the output is constrained only if the model opens a call, which a random-weight model practically never does). The JSON contenders' twins are the plain free-text requests.");
        md.AppendLine("- **Compare tokens per second, not request time.** The model has random weights: inside a constrained string it seldom picks the closing quote, so strings run to their `maxLength`, and a constrained reply ends when its grammar is complete (finish reason Stop) or at the output limit (Length), while a free reply ends wherever the model happens to sample `<|eot|>`. Output lengths therefore differ between twins; the finish reasons are shown.");
        md.AppendLine("- **Timing.** Engine rows take the engine's own usage, which is exact: *decode tok/s* = (output tokens - 1) / (first to last sampled token); *TTFT* = from the start of the run to the first sampled token, i.e. the synchronous part of the call (tokenization, and for constrained requests building and validating the grammar) plus queueing and prompt processing, plus the first sample (which, for a constrained request, includes llama.cpp parsing the grammar). Client rows take the same values from `UsageContent`, in whole milliseconds. A required tool call streams no text (the call is emitted whole at the end), so TTFT here is always the first *token*, not the first text. *Throughput* = output tokens / request time. *Decode µs/token* = 1,000,000 / decode tok/s; *+µs/token* is that minus the free twin's: the extra time per token the constraint costs, all of it sampling, since the decode step is the same.");
        md.AppendLine("- **Repetitions.** As in the throughput suite: rounds of every contender in rotated order, warm-up rounds discarded, a full GC before each run; medians with (min-max). The engine runs with `ReuseKvCache = false`, as in the throughput suite: every request processes its prompt in full, so repeats of the same request are not served from the cache.");
        md.AppendLine("- **Sampling probe.** To see where the time per token goes, a raw `BatchedExecutor` with the engine's context settings generates one sequence at a time with the sampler the engine used before it had its own (issue 16; LLamaSharp's `DefaultSamplingPipeline` with the same values, the grammar, `GrammarOptimization = Extended`; the engine's own sampler is measured in the sampling section), subclassed only to time each `Sample` call and count its candidate passes; a sample that runs the chain twice fell back to applying the grammar to the whole vocabulary. Variants show what LLamaSharp's grammar modes do and size two changes to the sampler; every round runs each variant with the same seed (round *r*: 42+*r*).");
        md.AppendLine();
        md.AppendLine("The JSON schema (constrained strings with `maxLength`, an enum, a bounded integer, an array with `maxItems`):");
        md.AppendLine();
        md.AppendLine("```json");
        md.AppendLine(Compact(ConstrainedWorkload.ResponseSchemaJson));
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine("The tools (C# methods with DataAnnotations, as `AIFunctionFactory.Create` turns them into schemas):");
        md.AppendLine();
        foreach (var tool in BenchmarkTools.All)
        {
            md.AppendLine(Invariant, $"- `{tool.Name}`: `{Compact(tool.JsonSchema.GetRawText())}`");
        }

        md.AppendLine();
    }

    private static void WriteTargets(StringBuilder md, IReadOnlyList<ConstrainedResults> models)
    {
        md.AppendLine("### Target");
        md.AppendLine();
        md.AppendLine("| Target | Model | Measured (median ratio) | Goal | Met |");
        md.AppendLine("|---|---|---:|---:|---|");
        foreach (var check in models.SelectMany(TargetCheck.ForConstrained))
        {
            md.AppendLine(Invariant, $"| {check.Target} | {check.Model} | {check.MeasuredText} | {check.Goal:F2}x | {(check.Met ? "**met**" : "**missed**")} |");
        }

        md.AppendLine();
    }

    private static void WriteModel(StringBuilder md, ConstrainedResults model)
    {
        var shape = model.Profile.ModelOptions;
        md.AppendLine(Invariant, $"### Model: {model.Profile.Label}");
        md.AppendLine();
        md.AppendLine(Invariant, $"{model.ModelBytes / 1e6:F1} MB GGUF, vocabulary of {model.VocabularySize:N0} tokens (a real Llama 4 has 202,048), {shape.LayerCount} layers of width {shape.EmbeddingLength}; " +
            $"engine context {model.ContextSize} tokens, 16 parallel sequences, {model.Threads} thread(s), CPU. Prompt {model.PromptTokens} tokens; with the three tools listed, {model.ToolPromptTokens}. " +
            $"Warm-up rounds {model.Profile.WarmupRounds} (single stream) and {model.Profile.ConcurrencyWarmupRounds} (concurrent); the probe ran {model.ProbeRounds} measured rounds per variant after one warm-up. " +
            $"The section took {model.Elapsed.TotalSeconds:F0} s; {Load(model.OtherProcessesCores)}");
        md.AppendLine();
        WriteSingleStream(md, model);
        WriteConcurrency(md, model);
        WriteProbe(md, model);
        WriteBatchSampling(md, model);
        WriteGrammarSetup(md, model);
        WriteObservations(md, model);
    }

    private static void WriteSingleStream(StringBuilder md, ConstrainedResults model)
    {
        md.AppendLine("#### Single stream");
        md.AppendLine();
        md.AppendLine("| Contender | Prompt tokens | Output tokens | Finish | TTFT ms | Request ms | Throughput tok/s | Decode tok/s | Decode µs/token | Decode vs free twin | Throughput vs free twin | +µs/token vs twin | CPU µs/token | n |");
        md.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in model.SingleStream)
        {
            var twin = Twins.TryGetValue(m.Case.Subject.Name, out var twinName) ? model.Single(twinName) : null;
            md.AppendLine(Invariant, $"| {m.Case.Subject.Name} | {m.PromptTokens.Median:F0} | {MarkdownReport.Range(m.OutputTokens, "F0")} | {m.FinishReasons} | " +
                $"{MarkdownReport.Range(m.TimeToFirstTokenMs, "F1")} | {MarkdownReport.Range(m.WallMs, "F1")} | {MarkdownReport.Range(m.Aggregate, "F0")} | {MarkdownReport.Range(m.Decode, "F0")} | " +
                $"{PerToken(m.Decode.Median):F0} | {MarkdownReport.Ratio(m.Decode.Median, twin?.Decode.Median)} | {MarkdownReport.Ratio(m.Aggregate.Median, twin?.Aggregate.Median)} | " +
                $"{Extra(m.Decode.Median, twin?.Decode.Median)} | {m.CpuMicrosecondsPerToken.Median:F0} | {m.Runs.Count} |");
        }

        md.AppendLine();
        md.AppendLine("Free-text twins: engine JSON -> engine free text; engine required call -> engine, tool prompt, free text; client JSON -> client free text; client required call -> client with the tools in Auto mode. " +
            "Output tokens and finish reasons are over all measured requests (min-max); cells are medians with (min-max) over the measured rounds.");
        md.AppendLine();
    }

    private static void WriteConcurrency(StringBuilder md, ConstrainedResults model)
    {
        md.AppendLine(Invariant, $"#### {model.ConcurrencyLevel} concurrent requests (one engine)");
        md.AppendLine();
        md.AppendLine(Invariant, $"Aggregate output tokens per second of a burst of requests started together (seeds 42 to {42 + model.ConcurrencyLevel - 1}). Every live sequence is sampled, one after another, on the engine's single inference-loop thread between two decodes, so a constraint's sampling cost adds up across the batch. " +
            $"Tool calls are measured single-stream only: with the tools listed the prompt is {model.ToolPromptTokens} tokens, so {model.ConcurrencyLevel} of them do not fit the {model.ContextSize}-token context at once, and a burst would measure queueing and prompt processing rather than sampling.");
        md.AppendLine();
        md.AppendLine("| Contender | Output tokens per run | Finish | Aggregate tok/s | vs free twin | +µs per output token vs twin | Median TTFT ms | Decode tok/s per request | CPU µs/token | Tokens per decode call | n |");
        md.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in model.Concurrency)
        {
            var twin = Twins.TryGetValue(m.Case.Subject.Name, out var twinName) ? model.Concurrent(twinName) : null;
            var engine = m.Engine;
            md.AppendLine(Invariant, $"| {m.Case.Subject.Name} | {m.OutputTokens.Median:F0} | {m.FinishReasons} | {MarkdownReport.Range(m.Aggregate, "F0")} | " +
                $"{MarkdownReport.Ratio(m.Aggregate.Median, twin?.Aggregate.Median)} | {Extra(m.Aggregate.Median, twin?.Aggregate.Median)} | {m.TimeToFirstTokenMs.Median:F1} | {m.Decode.Median:F1} | " +
                $"{m.CpuMicrosecondsPerToken.Median:F0} | {(engine is { DecodeCalls: > 0 } ? string.Create(Invariant, $"{(double)engine.TokensDecoded / engine.DecodeCalls:F2}") : "-")} | {m.Runs.Count} |");
        }

        md.AppendLine();
    }

    private static void WriteProbe(StringBuilder md, ConstrainedResults model)
    {
        md.AppendLine("#### Where the time per token goes (sampling probe)");
        md.AppendLine();
        md.AppendLine("Per generated token: the single-token decode (`BatchedExecutor.Infer`) and the `Sample` call, in µs, over all measured rounds (each round's first sample is shown apart: it creates the native sampler chains and, with a grammar, has llama.cpp parse it). " +
            "*Fallbacks*: samples whose freely drawn token the grammar rejected, so the grammar was applied to every token of the vocabulary and the chain run again.");
        md.AppendLine();
        md.AppendLine("| Sampler | Output tokens per round | Decode µs/token (mean) | Sample µs/token: mean | median | p90 | +sample µs/token vs free | Sampling share of a token | Accepted at first draw: µs (mean) | Fell back: µs (mean) | First sample µs (median) | Full-vocabulary fallbacks |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in model.Probe)
        {
            var free = ProbeTwins.TryGetValue(p.Variant.Name, out var freeName) ? model.ProbeOf(freeName) : null;
            var share = p.MeanSampleMicroseconds / (p.MeanSampleMicroseconds + p.MeanDecodeMicroseconds) * 100;
            md.AppendLine(Invariant, $"| {p.Variant.Name} | {Summary.Of(p.OutputTokens.Select(t => (double)t)).Median:F0} | {p.MeanDecodeMicroseconds:F0} | {p.MeanSampleMicroseconds:F1} | {p.Sample.Median:F1} | {p.SampleP90:F1} | " +
                $"{(free is null ? "-" : string.Create(Invariant, $"{p.MeanSampleMicroseconds - free.MeanSampleMicroseconds:+0.0;-0.0}"))} | {share:F0}% | " +
                $"{Micro(p.MeanAcceptedMicroseconds)} | {Micro(p.MeanFallbackMicroseconds)} | {p.FirstSample.Median:F0} | " +
                $"{(p.Variant.Grammar is null ? "-" : string.Create(Invariant, $"{p.Fallbacks} of {p.Samples} ({p.FallbackPercent:F0}%)"))} |");
        }

        md.AppendLine();
        var extended = model.ProbeOf(ConstrainedBenchmark.ProbeJson);
        var basic = model.ProbeOf(ConstrainedBenchmark.ProbeJsonBasic);
        var none = model.ProbeOf(ConstrainedBenchmark.ProbeJsonNone);
        if (extended is not null && basic is not null)
        {
            md.AppendLine(Invariant, $"Extended and Basic sampled {(extended.Tokens.SequenceEqual(basic.Tokens) ? "exactly the same tokens" : "different tokens")} in every round " +
                $"(Extended's extra step, checking the top-k candidates, runs only when top-k is on; the workload, like the engine's default, has top-k off). " +
                $"None applies the grammar to the whole vocabulary before every sample and {(none is not null && none.Tokens.SequenceEqual(extended.Tokens) ? "sampled the same tokens too" : "sampled other tokens (its random draws are consumed differently)")}. " +
                $"The top-k 40 row changes the distribution and is shown only to size what a candidate check before the full pass saves. " +
                $"The masked row gives every control token that does not end the generation a logit bias of minus infinity in the sampler's chain: a JSON reply never contains one, but a random-weight model draws them most of the time (they are {model.ControlTokens:N0} of the {model.VocabularySize:N0} tokens), and each such draw is a fallback.");
            md.AppendLine();
        }
    }

    private static void WriteBatchSampling(StringBuilder md, ConstrainedResults model)
    {
        if (model.BatchSampling.Count == 0)
        {
            return;
        }

        md.AppendLine(Invariant, $"#### Sampling {model.ConcurrencyLevel} sequences: one after another (the engine's loop) or in parallel");
        md.AppendLine();
        md.AppendLine(Invariant, $"The engine's loop in miniature: {model.ConcurrencyLevel} sequences with the workload's prompt and seeds on one raw `BatchedExecutor` with the engine's settings and samplers, decoded together; after each decode every live sequence is sampled either one after another on the loop's thread, as the engine's loop did before issue 16 (it now draws them on `SamplingThreads` threads), or with `Parallel.For` over the {Environment.ProcessorCount} cores (the first sample of a step alone, because llama.cpp may reorder the last decode's outputs on first access). " +
            $"Decode uses {model.Threads} llama.cpp thread(s) in both; tokens are fed back on the loop's thread. Medians (min-max) over the measured runs.");
        md.AppendLine();
        md.AppendLine("| Sampler | Output tokens per run | Aggregate tok/s | vs one after another | Sampling ms per step | Decode ms per step | n |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var b in model.BatchSampling)
        {
            var serial = model.BatchSampling.FirstOrDefault(x => !x.Variant.Parallel && x.Variant.Grammar == b.Variant.Grammar);
            md.AppendLine(Invariant, $"| {b.Variant.Name} | {b.OutputTokens.Median:F0} | {MarkdownReport.Range(b.TokensPerSecond, "F0")} | {(b.Variant.Parallel ? MarkdownReport.Ratio(b.TokensPerSecond.Median, serial?.TokensPerSecond.Median) : "-")} | " +
                $"{MarkdownReport.Range(b.SamplingMillisecondsPerStep, "F2")} | {MarkdownReport.Range(b.DecodeMillisecondsPerStep, "F2")} | {b.TokensPerSecond.Count} |");
        }

        md.AppendLine();
    }

    private static void WriteGrammarSetup(StringBuilder md, ConstrainedResults model)
    {
        md.AppendLine("#### Grammar setup per request");
        md.AppendLine();
        md.AppendLine("llama.cpp parses the GBNF text again for every request, when LLamaSharp creates the grammar's sampler at the first `Sample`, on the engine's inference-loop thread (every other live sequence waits). Timed alone, `llama_sampler_init_grammar` with the model's vocabulary:");
        md.AppendLine();
        md.AppendLine("| Grammar | Characters | Rules | llama.cpp parse µs, median (min-max) | p90 µs | n |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, size, parse) in model.Grammars)
        {
            md.AppendLine(Invariant, $"| {name} | {size.Characters:N0} | {size.Rules} | {MarkdownReport.Range(parse.Microseconds, "F0")} | {parse.P90Microseconds:F0} | {parse.Microseconds.Count} |");
        }

        md.AppendLine();
    }

    /// <summary>Facts computed from this run's numbers (no hand-written claims that could go stale).</summary>
    private static void WriteObservations(StringBuilder md, ConstrainedResults model)
    {
        md.AppendLine("#### Observations from these numbers");
        md.AppendLine();
        foreach (var check in TargetCheck.ForConstrained(model))
        {
            md.AppendLine(Invariant, $"- {check.Target}: {check.MeasuredText} ({(check.Met ? "met" : "missed")}).");
        }

        var freeConcurrent = model.Concurrent(SubjectNames.EngineFree);
        var jsonConcurrent = model.Concurrent(SubjectNames.EngineJson);
        md.AppendLine(Invariant, $"- With {model.ConcurrencyLevel} concurrent requests, JSON-schema requests reach {MarkdownReport.Ratio(jsonConcurrent?.Aggregate.Median, freeConcurrent?.Aggregate.Median)} of the aggregate tok/s of free text (single stream: {MarkdownReport.Ratio(model.Single(SubjectNames.EngineJson)?.Aggregate.Median, model.Single(SubjectNames.EngineFree)?.Aggregate.Median)} end to end, {MarkdownReport.Ratio(model.Single(SubjectNames.EngineJson)?.Decode.Median, model.Single(SubjectNames.EngineFree)?.Decode.Median)} decode).");
        var free = model.ProbeOf(ConstrainedBenchmark.ProbeFree);
        var json = model.ProbeOf(ConstrainedBenchmark.ProbeJson);
        var none = model.ProbeOf(ConstrainedBenchmark.ProbeJsonNone);
        var topK = model.ProbeOf(ConstrainedBenchmark.ProbeJsonTopK);
        if (free is not null && json is not null && none is not null)
        {
            // A fallback costs about a None sample (grammar over the vocabulary plus the chain) on top of the first pass.
            var fallbackCost = none.MeanSampleMicroseconds;
            md.AppendLine(Invariant, $"- Probe: a free sample costs {free.MeanSampleMicroseconds:F1} µs and a single-token decode {free.MeanDecodeMicroseconds:F0} µs; with the JSON grammar a sample costs {json.MeanSampleMicroseconds:F1} µs on average: " +
                $"{Micro(json.MeanAcceptedMicroseconds)} µs when the grammar accepts the first draw, {Micro(json.MeanFallbackMicroseconds)} µs when it falls back, which {json.FallbackPercent:F0}% of samples do; a sample that always applies the grammar to the whole vocabulary (None) costs {fallbackCost:F1} µs. " +
                $"That is with a {model.VocabularySize:N0}-token vocabulary; the full-vocabulary pass grows with the vocabulary (a real Llama 4 has 202,048 tokens, {202_048.0 / model.VocabularySize:F0}x this one).");
        }

        var jsonSerial = model.BatchOf(ConstrainedBenchmark.BatchJsonSerial);
        var jsonParallel = model.BatchOf(ConstrainedBenchmark.BatchJsonParallel);
        var freeSerial = model.BatchOf(ConstrainedBenchmark.BatchFreeSerial);
        if (jsonSerial is not null && jsonParallel is not null && freeSerial is not null)
        {
            md.AppendLine(Invariant, $"- {model.ConcurrencyLevel} sequences in the miniature loop: sampling takes {jsonSerial.SamplingMillisecondsPerStep.Median:F2} ms per step with the JSON grammar against {freeSerial.SamplingMillisecondsPerStep.Median:F2} ms free, next to a {jsonSerial.DecodeMillisecondsPerStep.Median:F2} ms decode; " +
                $"sampled in parallel it takes {jsonParallel.SamplingMillisecondsPerStep.Median:F2} ms and the aggregate moves {MarkdownReport.Ratio(jsonParallel.TokensPerSecond.Median, jsonSerial.TokensPerSecond.Median)} " +
                $"(JSON against free, one after another: {MarkdownReport.Ratio(jsonSerial.TokensPerSecond.Median, freeSerial.TokensPerSecond.Median)}; JSON in parallel against free one after another: {MarkdownReport.Ratio(jsonParallel.TokensPerSecond.Median, freeSerial.TokensPerSecond.Median)}).");
        }

        var masked = model.ProbeOf(ConstrainedBenchmark.ProbeJsonMasked);
        if (json is not null && masked is not null)
        {
            md.AppendLine(Invariant, $"- With the control tokens masked, {masked.FallbackPercent:F0}% of samples fell back and a sample cost {masked.MeanSampleMicroseconds:F1} µs, against {json.FallbackPercent:F0}% and {json.MeanSampleMicroseconds:F1} µs for the engine's sampler.");
        }

        if (json is not null && topK is not null)
        {
            md.AppendLine(Invariant, $"- With top-k 40 (Extended then checks the 40 best candidates before the full pass), {topK.FallbackPercent:F0}% of samples fell back and a sample cost {topK.MeanSampleMicroseconds:F1} µs, against {json.FallbackPercent:F0}% and {json.MeanSampleMicroseconds:F1} µs with top-k off.");
        }

        md.AppendLine();
    }

    private static string Load(double? otherProcessesCores) => otherProcessesCores switch
    {
        null => "the load from other processes was not measured.",
        < 0.1 => string.Create(Invariant, $"other processes kept {otherProcessesCores:F2} of the {Environment.ProcessorCount} cores busy on average meanwhile (from /proc/stat): the shared machine was quiet for this run, though single rounds still move."),
        _ => string.Create(Invariant, $"other processes kept {otherProcessesCores:F2} of the {Environment.ProcessorCount} cores busy on average meanwhile (from /proc/stat), so expect noise accordingly."),
    };

    private static string Micro(double value) => double.IsNaN(value) ? "-" : string.Create(Invariant, $"{value:F1}");

    private static double PerToken(double tokensPerSecond) => tokensPerSecond > 0 ? 1e6 / tokensPerSecond : double.NaN;

    private static string Extra(double value, double? twin) =>
        twin is { } t && t > 0 && value > 0 ? string.Create(Invariant, $"{PerToken(value) - PerToken(t):+0;-0}") : "-";

    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement);
    }
}
