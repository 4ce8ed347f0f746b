using System.Globalization;
using System.Text;
using Llama4.Benchmarks.Cli;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Subjects;

namespace Llama4.Benchmarks.Reporting;

/// <summary>Renders docs/performance.md from one run's results. Every ratio compares numbers measured in the same run.</summary>
internal static class MarkdownReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The title and introduction of a report that has no throughput part (only other suites ever ran into the file).</summary>
    public static string RenderHeader() =>
        "# Performance\n\nMeasured by `benchmarks/Llama4.Benchmarks`; every section states its own date, command and machine load. " +
        "The generated models have random weights: they produce gibberish, and only speed is measured.\n";

    /// <summary>
    /// Renders the throughput suite's part of the report (title, targets, machine, method, one section per model), without
    /// <see cref="RenderReproduce"/>. Targets of constrained results measured in the same run join the targets table.
    /// </summary>
    public static string Render(MachineInfo machine, BenchmarkOptions options, string commandLine, IReadOnlyList<ModelResults> models, IReadOnlyList<ConstrainedResults> constrained)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(models);
        var md = new StringBuilder();
        md.AppendLine("# Performance");
        md.AppendLine();
        md.AppendLine(Invariant, $"Measured by `benchmarks/Llama4.Benchmarks` in one process on {machine.Date:yyyy-MM-dd} (UTC), with the command");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine(commandLine);
        md.AppendLine("```");
        md.AppendLine();
        if (options.Quick)
        {
            md.AppendLine("> **Quick smoke run**: few tokens and rounds. These numbers show that the runner works, not how fast anything is.");
            md.AppendLine();
        }

        md.AppendLine("The generated models have random weights: they produce gibberish, and only speed is measured. Real Llama 4");
        md.AppendLine("models are far larger (Scout: 109B parameters, 17B active), so absolute numbers do not carry over; the ratios between");
        md.AppendLine("contenders measured in the same run are the point.");
        md.AppendLine();
        WriteTargets(md, models, constrained);
        WriteMachine(md, machine, models);
        WriteMethod(md, models);
        foreach (var model in models)
        {
            WriteModel(md, model);
        }

        return md.ToString();
    }

    private static void WriteTargets(StringBuilder md, IReadOnlyList<ModelResults> models, IReadOnlyList<ConstrainedResults> constrained)
    {
        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine("| Target | Model | Measured (median ratio) | Goal | Met |");
        md.AppendLine("|---|---|---:|---:|---|");
        foreach (var check in models.SelectMany(TargetCheck.For).Concat(constrained.SelectMany(TargetCheck.ForConstrained)))
        {
            md.AppendLine(Invariant, $"| {check.Target} | {check.Model} | {check.MeasuredText} | {check.Goal:F2}x | {(check.Met ? "**met**" : "**missed**")} |");
        }

        md.AppendLine();
        md.AppendLine("A target counts as met when the median ratio reaches it. The spread columns below show how far single rounds");
        md.AppendLine("moved on this shared machine: a ratio within the spread of its inputs is not a measured difference.");
        md.AppendLine();
    }

    private static void WriteMachine(StringBuilder md, MachineInfo machine, IReadOnlyList<ModelResults> models)
    {
        var threads = string.Join(", ", models.Select(m => m.Threads).Distinct());
        md.AppendLine("## Machine");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---|");
        md.AppendLine(Invariant, $"| CPU | {machine.CpuModel}, {machine.LogicalCores} logical cores (shared virtual machine), no GPU used |");
        md.AppendLine(Invariant, $"| Memory | {machine.MemoryGiB:F1} GiB available to the process |");
        md.AppendLine(Invariant, $"| OS | {machine.OperatingSystem} ({machine.Architecture}) |");
        md.AppendLine(Invariant, $"| .NET | {machine.DotNet}, {machine.GarbageCollector} GC, Release build |");
        md.AppendLine(Invariant, $"| LLamaSharp | {machine.LLamaSharpVersion}, native llama.cpp from LLamaSharp.Backend.Cpu (the same version, pinned in Directory.Packages.props) |");
        md.AppendLine(Invariant, $"| llama.cpp | {MachineInfo.LlamaCppCommit[..8]} (the commit LLamaSharp's README lists for this release) |");
        md.AppendLine(Invariant, $"| llama.cpp system info | `{machine.LlamaCppSystemInfo.Replace('|', '/')}` |");
        md.AppendLine(Invariant, $"| Threads | {threads} for generation and prompt processing, the same for every contender (LLamaSharp's default: half the logical cores) |");
        md.AppendLine(Invariant, $"| Date | {machine.Date:yyyy-MM-dd HH:mm} UTC |");
        md.AppendLine();
    }

    private static void WriteMethod(StringBuilder md, IReadOnlyList<ModelResults> models)
    {
        var first = models[0];
        md.AppendLine("## Method");
        md.AppendLine();
        md.AppendLine("- **Workload.** One fixed request: a system message and a user question, " +
            string.Create(Invariant, $"{first.PromptTokens} prompt tokens in the Llama 4 format. Request *i* of a burst uses seed {42}+*i*, the same for every contender. ") +
            "Sampling is set explicitly and identically everywhere: " +
            string.Create(Invariant, $"temperature {first.Sampling.Temperature}, top-p {first.Sampling.TopP}, top-k off, min-p off, no penalties (Meta's instruct defaults). ") +
            "A request ends at its token limit or at an end-of-generation token, whichever comes first, so output counts can differ slightly between contenders; they are shown.");
        md.AppendLine("- **Contenders.**");
        md.AppendLine(Invariant, $"  - *{SubjectNames.Client}*: the library under test, `GetStreamingResponseAsync` on one client over one `Llama4Engine` (MaxParallelSequences 16, flash attention Auto, which is off on the CPU, and `ReuseKvCache = false`: every contender here processes each prompt in full, so the ratios measure the wrapper, not the cache; KV-cache reuse has its own section). Output tokens and the decode time come from the final `UsageContent` (the engine's own count; decode time in whole milliseconds).");
        md.AppendLine(Invariant, $"  - *{SubjectNames.Engine}*: the same engine called directly, to split the client layer's cost from the engine's (single stream only).");
        md.AppendLine(Invariant, $"  - *{SubjectNames.Raw}*: a hand-written LLamaSharp loop on the same GGUF with the same context parameters as the engine (context size, 16 sequences, batch 512, threads, flash attention off, F16 KV, unified KV, small SWA cache, memory-mapped): one `BatchedExecutor` created once, then per request one `Conversation` and one `DefaultSamplingPipeline`, the rendered prompt tokenized in one call with special tokens parsed (checked to give exactly the engine's prompt tokens), the same stop tokens, text detokenized with `StreamingTokenDecoder`. It is the floor any wrapper pays: no channels, no cancellation, no admission control, no callers on other threads.");
        md.AppendLine(Invariant, $"  - *{SubjectNames.RawSeparateKv}*: the same loop with `KVUnified = false` (concurrency only): llama.cpp then gives each sequence its own KV stream of ContextSize / 16 cells, and a token's attention covers only its own sequence. With the unified cache the engine uses, every token's attention runs over the cells of all live sequences (masked).");
        md.AppendLine(Invariant, $"  - *{SubjectNames.ClientFlashAttention}*: the same client over a second engine loaded with `FlashAttention = Enabled`, to show what that setting does on the CPU.");
        md.AppendLine(Invariant, $"  - *{SubjectNames.ClientBatchThreads}*: the same client over a third engine with `BatchThreads` = all logical cores (highest concurrency only). llama.cpp uses the batch thread count for every decode of more than one token, so prefill and multi-sequence steps get all cores while single-token steps keep `Threads`.");
        md.AppendLine(Invariant, $"  - *{SubjectNames.LLamaSharpShared}*: LLamaSharp's own `StatelessExecutor.AsChatClient()` (namespace `LLama.Abstractions`), one instance, one request at a time: it must never serve concurrent calls (the process aborts natively). Same GGUF, threads, batch and KV settings; one sequence; context {first.SingleRequestContextSize} tokens (prompt plus output, rounded up), as a user would size a one-request context.");
        md.AppendLine(Invariant, $"  - *{SubjectNames.LLamaSharpPerRequest}*: the concurrency workaround its users have: every request builds its own `StatelessExecutor` and `AsChatClient()` over the shared weights (same context settings as above), and the burst runs with `Task.WhenAll`.");
        md.AppendLine("- **Timing.** `Stopwatch` only (LLamaSharp's `GetTimings()` returns zeros). A run starts before the first request is issued (so tokenization counts) and ends when the last stream completes. " +
            "*TTFT* is the time to the first non-empty text (the first streamed text update for Llama4ChatClient and the engine, the first non-empty piece for the raw loop and AsChatClient, seen before its anti-prompt filter, which holds text back a few more tokens); random-weight models emit many tokens that complete no UTF-8 character, so this is often a few tokens after the first token, and AsChatClient, which samples a different token stream (its prompt differs), is comparable only roughly. " +
            "*Decode tok/s* is (output tokens - 1) / (last token - first token). *Throughput* and *aggregate tok/s* are output tokens / wall time of the run: tokenization, prefill, queueing and delivery included.");
        md.AppendLine("- **Repetitions.** Each scenario runs in rounds; every round runs each contender once, in an order rotated by one per round so that drift on the shared machine does not favour anyone. Warm-up rounds are discarded. A full GC runs before every run, outside the timing. Tables show the median of the measured rounds and the range (min-max); *spread* = (max - min) / median.");
        md.AppendLine("- **Ratios** compare medians measured in the same run: \"vs raw\" divides by the raw loop's median in the same table.");
        md.AppendLine();
    }

    private static void WriteModel(StringBuilder md, ModelResults model)
    {
        var shape = model.Profile.ModelOptions;
        md.AppendLine(Invariant, $"## Model: {model.Profile.Label}");
        md.AppendLine();
        md.AppendLine(Invariant, $"{model.ModelBytes / 1e6:F1} MB F16 GGUF: {shape.LayerCount} layers, width {shape.EmbeddingLength}, {shape.HeadCount} heads ({shape.KvHeadCount} KV), dense FFN {shape.FeedForwardLength}, {shape.ExpertCount} experts (top-{shape.ExpertUsedCount}) of width {shape.ExpertFeedForwardLength}. " +
            $"Engine and raw loops: context {model.ContextSize} tokens, {model.MaxParallelSequences} parallel sequences; AsChatClient: context {model.SingleRequestContextSize}, one sequence; all: {model.Threads} thread(s), flash attention {(model.FlashAttention ? "on" : "off")} unless stated. " +
            $"Prompt: {model.PromptTokens} tokens (Llama 4 format; AsChatClient's `System:/User:/Assistant:` text of the same messages: {model.LLamaSharpPromptTokens} tokens). " +
            $"Max output tokens: {model.Profile.MaxOutputTokens}. Warm-up rounds: {model.Profile.WarmupRounds} (single stream), {model.Profile.ConcurrencyWarmupRounds} (each concurrency level); measured rounds: {(model.SingleStream.Count > 0 ? model.SingleStream[0].Runs.Count : 0)} (single stream), see the n column for concurrency. " +
            $"Whole model section took {model.Elapsed.TotalSeconds:F0} s; " +
            $"{(model.OtherProcessesCores is { } other ? string.Create(Invariant, $"other processes kept {other:F2} of the {Environment.ProcessorCount} cores busy on average meanwhile (from /proc/stat), so expect noise accordingly.") : "the load from other processes was not measured.")}");
        md.AppendLine();
        WriteSingleStream(md, model);
        WriteConcurrency(md, model);
        WriteEngineStatistics(md, model);
        WriteLLamaSharpBaseline(md, model);
        WriteObservations(md, model);
    }

    /// <summary>Facts computed from this run's numbers (no hand-written claims that could go stale).</summary>
    private static void WriteObservations(StringBuilder md, ModelResults model)
    {
        var top = model.Profile.ConcurrencyLevels[^1];
        var client1 = model.Single(SubjectNames.Client);
        var flash1 = model.Single(SubjectNames.ClientFlashAttention);
        var engine1 = model.Single(SubjectNames.Engine);
        var client = model.Concurrent(SubjectNames.Client, top);
        var flash = model.Concurrent(SubjectNames.ClientFlashAttention, top);
        var raw = model.Concurrent(SubjectNames.Raw, top);
        var separate = model.Concurrent(SubjectNames.RawSeparateKv, top);
        var batchThreads = model.Concurrent(SubjectNames.ClientBatchThreads, top);
        var best = model.Concurrency.Where(m => m.Case.Concurrency == top).MaxBy(m => m.Aggregate.Median);
        md.AppendLine("### Observations from these numbers");
        md.AppendLine();
        md.AppendLine(Invariant, $"- The IChatClient layer: Llama4ChatClient decodes at {Ratio(client1?.Decode.Median, engine1?.Decode.Median)} and serves a request end to end at {Ratio(client1?.Aggregate.Median, engine1?.Aggregate.Median)} of `Llama4Engine.GenerateAsync` called directly.");
        md.AppendLine(Invariant, $"- Flash attention ON: single-stream decode at {Ratio(flash1?.Decode.Median, client1?.Decode.Median)} of the default engine; {top} concurrent requests at {Ratio(flash?.Aggregate.Median, client?.Aggregate.Median)} of its aggregate.");
        md.AppendLine(Invariant, $"- KV layout: with {top} concurrent requests, the raw loop with one KV stream per sequence reached {Ratio(separate?.Aggregate.Median, raw?.Aggregate.Median)} of the aggregate of the same loop on the unified cache the engine uses.");
        if (batchThreads is not null)
        {
            md.AppendLine(Invariant, $"- Batch threads: with {top} concurrent requests, the engine with BatchThreads = all cores reached {Ratio(batchThreads.Aggregate.Median, client?.Aggregate.Median)} of the default engine's aggregate.");
        }

        md.AppendLine(Invariant, $"- Fastest contender at {top} concurrent requests: {best?.Case.Subject.Name} ({best?.Aggregate.Median:F1} tok/s aggregate).");
        md.AppendLine();
    }

    private static void WriteSingleStream(StringBuilder md, ModelResults model)
    {
        var raw = model.Single(SubjectNames.Raw);
        md.AppendLine("### Scenario 1: single stream");
        md.AppendLine();
        md.AppendLine("| Contender | Output tokens | TTFT ms | Request ms | Throughput tok/s | Decode tok/s | Throughput vs raw | Decode vs raw | TTFT vs raw | CPU µs/token | Alloc B/token | n |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in model.SingleStream)
        {
            md.AppendLine(Invariant, $"| {m.Case.Subject.Name} | {m.OutputTokens.Median:F0} | {Range(m.TimeToFirstTextMs, "F1")} | {Range(m.WallMs, "F1")} | {Range(m.Aggregate, "F0")} | {Range(m.Decode, "F0")} | " +
                $"{Ratio(m.Aggregate.Median, raw?.Aggregate.Median)} | {Ratio(m.Decode.Median, raw?.Decode.Median)} | {Ratio(m.TimeToFirstTextMs.Median, raw?.TimeToFirstTextMs.Median)} | {m.CpuMicrosecondsPerToken.Median:F0} | {m.AllocatedBytesPerToken.Median:F0} | {m.Runs.Count} |");
        }

        md.AppendLine();
        md.AppendLine("Cells show the median and, in parentheses, the range over the measured rounds. Ratios above 1 are faster than the raw loop for");
        md.AppendLine("throughput and decode, slower for TTFT. CPU µs/token is the process's CPU time (all threads) per output token during the run;");
        md.AppendLine("Alloc B/token the managed bytes allocated per output token.");
        md.AppendLine();
    }

    private static void WriteConcurrency(StringBuilder md, ModelResults model)
    {
        md.AppendLine("### Scenario 2: concurrent requests");
        md.AppendLine();
        md.AppendLine("Aggregate output tokens per second of a burst of *N* requests started together. \"vs x1\" compares with the same contender serving one request;");
        md.AppendLine("\"vs per-request\" with LLamaSharp's AsChatClient workaround at the same *N*; \"vs raw\" with the raw batched loop at the same *N*.");
        md.AppendLine();
        md.AppendLine("| N | Contender | Output tokens per run | Aggregate tok/s, median (min-max) | Spread | vs x1 | vs per-request | vs raw | Median TTFT ms | Decode tok/s per request | CPU µs/token | n |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in model.Concurrency)
        {
            var n = m.Case.Concurrency;
            var one = model.Concurrent(m.Case.Subject.Name, 1) ?? model.Concurrent(SubjectNames.Client, 1);
            var perRequest = model.Concurrent(SubjectNames.LLamaSharpPerRequest, n);
            var raw = model.Concurrent(SubjectNames.Raw, n);
            md.AppendLine(Invariant, $"| {n} | {m.Case.Subject.Name} | {m.OutputTokens.Median:F0} | {Range(m.Aggregate, "F1")} | {m.Aggregate.SpreadPercent:F0}% | " +
                $"{Ratio(m.Aggregate.Median, one?.Aggregate.Median)} | {Ratio(m.Aggregate.Median, perRequest?.Aggregate.Median)} | {Ratio(m.Aggregate.Median, raw?.Aggregate.Median)} | " +
                $"{m.TimeToFirstTextMs.Median:F1} | {m.Decode.Median:F1} | {m.CpuMicrosecondsPerToken.Median:F0} | {m.Runs.Count} |");
        }

        md.AppendLine();
        md.AppendLine("For the flash-attention and batch-threads rows, \"vs x1\" compares with the default Llama4ChatClient serving one request.");
        md.AppendLine();
    }

    private static void WriteEngineStatistics(StringBuilder md, ModelResults model)
    {
        md.AppendLine("#### Engine statistics");
        md.AppendLine();
        md.AppendLine("Counters of `Llama4Engine.GetStatistics()` moved during the median-throughput run. MaxSequencesInOneDecode is the engine's all-time");
        md.AppendLine("high at the end of that level (levels run in ascending order).");
        md.AppendLine();
        md.AppendLine("| N | Engine | Decode calls | MultiSequenceDecodeCalls | Tokens per decode call | MaxSequencesInOneDecode |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|");
        foreach (var m in model.Concurrency.Where(m => m.Engine is not null))
        {
            var e = m.Engine!;
            md.AppendLine(Invariant, $"| {m.Case.Concurrency} | {m.Case.Subject.Name} | {e.DecodeCalls} | {e.MultiSequenceDecodeCalls} | {(e.DecodeCalls > 0 ? (double)e.TokensDecoded / e.DecodeCalls : 0):F2} | {e.MaxSequencesInOneDecode} |");
        }

        md.AppendLine();
        md.AppendLine(Invariant, $"At the end of the model's runs: default engine {Describe(model.EngineStatistics)}; flash-attention engine {Describe(model.FlashAttentionEngineStatistics)}.");
        md.AppendLine();
    }

    private static void WriteLLamaSharpBaseline(StringBuilder md, ModelResults model)
    {
        var shared = model.Single(SubjectNames.LLamaSharpShared);
        var client = model.Single(SubjectNames.Client);
        var top = model.Profile.ConcurrencyLevels[^1];
        var perRequestTop = model.Concurrent(SubjectNames.LLamaSharpPerRequest, top);
        var clientTop = model.Concurrent(SubjectNames.Client, top);
        md.AppendLine("### Scenario 3: the baseline LLamaSharp users have today");
        md.AppendLine();
        md.AppendLine(Invariant, $"- Single stream (scenario 1 table): AsChatClient decodes at {shared?.Decode.Median:F1} tok/s against Llama4ChatClient's {client?.Decode.Median:F1} " +
            $"({Ratio(client?.Decode.Median, shared?.Decode.Median)} for Llama4ChatClient); TTFT {shared?.TimeToFirstTextMs.Median:F1} ms against {client?.TimeToFirstTextMs.Median:F1} ms. " +
            $"Every AsChatClient call over a `StatelessExecutor` creates and frees a whole llama.cpp context (KV cache and compute buffers), which lands in its TTFT.");
        md.AppendLine(Invariant, $"- Concurrency (scenario 2 table): with {top} concurrent requests, the per-request workaround reaches {perRequestTop?.Aggregate.Median:F1} tok/s aggregate against " +
            $"Llama4ChatClient's {clientTop?.Aggregate.Median:F1} ({Ratio(clientTop?.Aggregate.Median, perRequestTop?.Aggregate.Median)} for Llama4ChatClient). Its contexts cannot decode together: LLamaSharp serialises every `llama_decode` with one global lock, so each step decodes one token of one request, and each request also pays two context creations.");
        md.AppendLine("- What differs, besides speed: AsChatClient renders `System: ...`/`User: ...`/`Assistant: ` text instead of the Llama 4 chat format");
        md.AppendLine("  (the model never sees its real headers), stops on the anti-prompts `User:`, `Assistant:`, `System:`, reports no usage and no finish reason,");
        md.AppendLine("  caps output at 256 tokens unless `MaxOutputTokens` is set (set here to the same limit as the others), and defaults to its own sampling");
        md.AppendLine("  (temperature 0.75, top-k 40, min-p 0.1); here every value was set to the shared one, min-p, repeat penalty and penalty window through a raw");
        md.AppendLine("  `InferenceParams`. Its token counts exclude the end-of-generation token, which Llama4ChatClient's usage includes.");
        md.AppendLine();
    }

    /// <summary>The "How to reproduce" section, the same whichever suites ran.</summary>
    public static string RenderReproduce()
    {
        var md = new StringBuilder();
        md.AppendLine("## How to reproduce");
        md.AppendLine();
        md.AppendLine("```bash");
        md.AppendLine("# Every suite on the tiny model (about an hour on 2 cores, most of it the context suite); writes this file.");
        md.AppendLine("dotnet run -c Release --project benchmarks/Llama4.Benchmarks -- --model tiny");
        md.AppendLine("# One suite: only its sections of this file are replaced, the others are kept as they are.");
        md.AppendLine("dotnet run -c Release --project benchmarks/Llama4.Benchmarks -- --suite constrained --model tiny");
        md.AppendLine("dotnet run -c Release --project benchmarks/Llama4.Benchmarks -- --suite converter");
        md.AppendLine("# Sampling at Llama 4's real 202,048-token vocabulary (the realvocab model; about 15 minutes on 2 cores).");
        md.AppendLine("dotnet run -c Release --project benchmarks/Llama4.Benchmarks -- --suite sampling");
        md.AppendLine("# Long conversations in a 128k context (tiny model; about 40 minutes on 2 cores).");
        md.AppendLine("dotnet run -c Release --project benchmarks/Llama4.Benchmarks -- --suite context");
        md.AppendLine("# Latency and throughput under overload, with and without admission control (about 4 minutes).");
        md.AppendLine("dotnet run -c Release --project benchmarks/Llama4.Benchmarks -- --suite load");
        md.AppendLine("# Both generated models (the larger one is about 430 MB; single-token decode streams its weights from memory).");
        md.AppendLine("dotnet run -c Release --project benchmarks/Llama4.Benchmarks -- --model both --output docs/performance.md");
        md.AppendLine("# Smoke run: a few tokens, rounds and iterations; prints the report, writes it only with --output.");
        md.AppendLine("dotnet run -c Release --project benchmarks/Llama4.Benchmarks -- --quick");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine("Suites: `throughput` (scenarios 1-3 above the constrained section), `constrained` (structured output and required tool");
        md.AppendLine("calls), `converter` (JSON Schema to GBNF, no model), `context` (KV-cache reuse against full re-processing at 1k to 100k");
        md.AppendLine("tokens of history, and a 120k-token prefill with memory; tiny model only, context 131072 whatever `--context` says),");
        md.AppendLine("`load` (open-loop arrivals at 1x, 2x and 4x the measured capacity, with and without admission control; about 4 minutes);");
        md.AppendLine("`sampling` (sampling at Llama 4's real 202,048-token vocabulary on the realvocab model, against LLamaSharp's own sampling");
        md.AppendLine("pipeline, whatever `--model` says); `--suite all` (the default) runs the six, `--suite a,b` several. `--model realvocab`");
        md.AppendLine("runs the throughput and constrained suites on the real-vocabulary model too.");
        md.AppendLine("Other options: `--threads N`, `--context N`, `--max-tokens N`, `--rounds N`, `--warmup N`, `--budget SECONDS` (per scenario,");
        md.AppendLine("or per history size in the context suite; rounds stop early when it is spent, after at least two). The models are generated");
        md.AppendLine("into `$LLAMA4_TINY_MODEL_CACHE` (default: the temp folder) on first use. Close other work on the machine first: on 2 shared");
        md.AppendLine("cores, background load moves single rounds by 5-30%. Benchmarks are not tests: CI builds this project but never runs it.");
        return md.ToString();
    }

    internal static string Range(Summary summary, string format) =>
        string.Create(Invariant, $"{summary.Median.ToString(format, Invariant)} ({summary.Min.ToString(format, Invariant)}-{summary.Max.ToString(format, Invariant)})");

    internal static string Ratio(double? value, double? baseline) =>
        value is { } v && baseline is { } b && b > 0 ? string.Create(Invariant, $"{v / b:F2}x") : "-";

    private static string Describe(Llama4.Core.Llama4EngineStatistics s) => string.Create(
        Invariant,
        $"{s.CompletedRequests} requests, {s.DecodeCalls} decode calls ({s.MultiSequenceDecodeCalls} multi-sequence), {s.TokensDecoded} tokens decoded, {s.TokensGenerated} generated, MaxSequencesInOneDecode {s.MaxSequencesInOneDecode}");
}
