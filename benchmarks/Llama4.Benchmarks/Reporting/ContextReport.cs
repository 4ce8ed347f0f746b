using System.Globalization;
using System.Text;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Subjects;
using Llama4.Core;

namespace Llama4.Benchmarks.Reporting;

/// <summary>Renders the context section: the next turn of long conversations with and without KV-cache reuse, and a 128k prefill with its memory.</summary>
internal static class ContextReport
{
    private const double MiB = 1024 * 1024;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(ReportContext context, ContextResults results)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(results);
        var md = new StringBuilder();
        var machine = context.Machine;
        md.AppendLine("## Long conversations: KV-cache reuse and a 128k context");
        md.AppendLine();
        md.AppendLine(Invariant, $"Measured on {results.Date:yyyy-MM-dd HH:mm} UTC, in one process, with the command");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine(context.CommandLine);
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine(Invariant, $"Machine: {machine.CpuModel}, {machine.LogicalCores} logical cores (shared virtual machine), {machine.MemoryGiB:F1} GiB, {machine.DotNet}, {machine.GarbageCollector} GC, LLamaSharp {machine.LLamaSharpVersion} (CPU backend), {results.Threads} llama.cpp thread(s) for generation and prompt processing. " +
            $"The suite took {Duration(results.Elapsed)}; {Load(results.OtherProcessesCores, machine.LogicalCores)}");
        md.AppendLine();
        if (context.Options.Quick)
        {
            md.AppendLine("> **Quick smoke run**: small histories and few rounds. These numbers show that the runner works, not how fast anything is.");
            md.AppendLine();
        }

        WriteTargets(md, results);
        WriteMethod(md, results);
        WriteTimeToFirstToken(md, results);
        WriteDetails(md, results);
        WriteReuseCounters(md, results);
        WritePrefill(md, results);
        WriteOtherSuites(md);
        WriteObservations(md, results);
        return md.ToString();
    }

    private static void WriteTargets(StringBuilder md, ContextResults results)
    {
        md.AppendLine("### Target");
        md.AppendLine();
        md.AppendLine("| Target | Model | Measured (ratio of medians) | Goal | Met |");
        md.AppendLine("|---|---|---:|---:|---|");
        foreach (var check in TargetCheck.ForContext(results))
        {
            md.AppendLine(Invariant, $"| {check.Target} | {check.Model} | {Times(check.Measured)} | {check.Goal:F0}x | {(check.Met ? "**met**" : "**missed**")} |");
        }

        md.AppendLine();
    }

    private static void WriteMethod(StringBuilder md, ContextResults results)
    {
        var prefill = results.Prefill;
        var sizes = string.Join(", ", results.Histories.Select(h => string.Create(Invariant, $"{h.TargetTokens:N0}")));
        var limit = results.Profile.RoundsBaselineLimit;
        var largestCold = results.Histories.LastOrDefault(h => h.TargetTokens > limit);
        var turns = string.Join(", ", results.Histories.Select(h => string.Create(Invariant, $"{h.UserTurns} user turns at {h.HistoryTokens:N0}")));
        var charsPerToken = results.Histories.Sum(h => (double)h.Characters) / Math.Max(1, results.Histories.Sum(h => h.HistoryTokens));
        md.AppendLine("### Method");
        md.AppendLine();
        md.AppendLine(Invariant, $"- **Model and engines.** The tiny generated model ({results.ModelBytes / 1e6:F1} MB; random weights, so it writes gibberish and only speed is measured). Every engine has the context this suite is about, `ContextSize = {results.Profile.ContextSize}`, " +
            $"and otherwise the engine's defaults: {results.EngineSequences} parallel sequences, one unified KV cache, the small SWA cache (the chunked-attention layers keep {results.ChunkSize:N0} cells per sequence plus one micro-batch), F16 K/V, CPU backend. " +
            $"Each history size gets freshly loaded engines, so every size starts with empty caches.");
        md.AppendLine(Invariant, $"- **The conversation.** A system prompt, then alternating user messages and assistant answers written from phrase lists (a support and engineering chat: prose, numbered steps, code blocks in C#, JSON, SQL and shell, numbers, a few non-ASCII names), ending with an answer; " +
            $"histories of at least {sizes} tokens as `Llama4ChatClient` formats them (the larger ones begin like the smaller ones; {turns}). " +
            $"The tiny model's vocabulary has only {results.VocabularySize:N0} tokens, so its text takes {charsPerToken:F1} characters per token; a real Llama 4 vocabulary (202,048 tokens) packs more text into each, so the same token counts are fewer turns there. What costs time is tokens, which is what the sizes count. Turn *k* is the whole history plus follow-up question *k* (one sentence of 10 to 20 words), sent with `IChatClient.GetStreamingResponseAsync` the way Microsoft.Extensions.AI callers send every turn: all messages, no `ConversationId`. " +
            $"Every contender gets the same turns in the same order, with `MaxOutputTokens = 1` and the same sampling (temperature {results.Sampling.Temperature}, top-p {results.Sampling.TopP}, seed 42).");
        md.AppendLine("- **Contenders and their flash-attention setting.**");
        md.AppendLine("  - *KV cache reused*: `Llama4ChatClient` over an engine with `ReuseKvCache = true` (the default) and `FlashAttention = Auto`, which is **off** on the CPU backend (the engine's default). " +
            "Its first request (turn 0) finds nothing cached and decodes the whole prompt; that cold request runs before the rounds and is shown on its own. Afterwards the engine keeps the previous turn (history plus that turn's question) as an idle sequence: " +
            "the next turn matches the history and the user header, takes the sequence over, drops the old question and decodes only the new one. The history's end is placed so that this never reaches back across an 8192-token attention chunk (the case where the small SWA cache forces re-processing from the chunk's start; the counters below confirm it).");
        md.AppendLine("  - *ReuseKvCache = false*: the same engine options with reuse off: every prompt is decoded in full and every sequence freed at the end, the stateless behaviour of LLamaSharp's `AsChatClient()` and Semantic Kernel's local connectors. Flash attention **off**, as in the reused arm: the pair differs only in reuse.");
        md.AppendLine("  - *ReuseKvCache = false, flash attention ON*: full re-processing with `FlashAttention = Enabled`, the fastest way to re-process a long prompt on this CPU. It makes the comparison conservative: it is what a stateless deployment tuned for long prompts would run.");
        md.AppendLine("  - *LLamaSharp AsChatClient*: LLamaSharp's own `StatelessExecutor.AsChatClient()`, one instance, one request at a time, flash attention **off** and the engines' thread, batch and K/V settings, one sequence, a context sized for its longest prompt plus the output (rounded up to 256 cells, as a user would size it). " +
            "It renders its own `System:/User:/Assistant:` text instead of the Llama 4 format, so its prompts have a different token count (shown), and every call creates and frees a llama.cpp context, which counts in its time to first token.");
        md.AppendLine(Invariant, $"- **Why flash attention is off in the reused arm.** On the CPU, llama.cpp's flash-attention kernel makes every decode of fewer than 64 tokens cost about as much as that many single-token decodes, and at long contexts its small-batch path drifts from the prefill kernel's logits; a follow-up question is such a small decode. That is why the engine leaves it off on the CPU, and the reused arm measures that default. " +
            $"For re-processing a whole history, flash attention on is faster here ({FlashSpeedups(results)} across the sizes, from the medians, or the cold request where flash attention off ran only once), so the target is checked against both settings.");
        var beyond = largestCold is null
            ? "Every size in this run is within that limit."
            : string.Create(Invariant, $"Beyond that, full re-processing with flash attention off is measured once per size, by the cached engine's cold first request, which does exactly that work (the whole prompt, flash attention off, the same options): n = 1, marked (at {largestCold.HistoryTokens:N0} tokens it took {largestCold.Cold.TimeToFirstToken?.TotalSeconds:F0} s, and rounds of it would have taken that much each). Full re-processing with flash attention on runs in rounds at every size.");
        md.AppendLine(Invariant, $"- **What ran where.** Full re-processing with flash attention off and `AsChatClient` run in rounds up to {limit:N0}-token histories. {beyond} {ColdAgainstRounds(results)}");
        md.AppendLine("- **Timing.** *Time to first token* is measured by the caller with `Stopwatch`: from the call to `GetStreamingResponseAsync` to the first streamed update, which, with one output token, arrives right after that token is sampled. It includes mapping and formatting the messages, tokenizing (each engine remembers the tokens of text it has seen, so the history's text is already tokenized on every engine, as on turn N of a real conversation), queueing, prompt processing or the cache lookup, and the first sample. *Engine prompt ms* is the engine's own prompt-processing time from `UsageContent` (whole milliseconds).");
        md.AppendLine(Invariant, $"- **Repetitions.** Per size, rounds of every contender in an order rotated by one per round, a full GC before each request, warm-up rounds discarded; medians with (min-max). Rounds stop early once {results.Profile.BudgetPerSize.TotalSeconds:F0} s per size are spent, after at least two. The n columns say how many rounds ran.");
        md.AppendLine(Invariant, $"- **The 128k prefill** runs first in the process, on its own engine (`ContextSize = {prefill.Options.ContextSize}`, flash attention on, reuse on, {prefill.Options.MaxParallelSequences} sequences), before any other engine is loaded; see its section for why flash attention is on there.");
        md.AppendLine();
    }

    private static void WriteTimeToFirstToken(StringBuilder md, ContextResults results)
    {
        md.AppendLine("### Time to first token of the next turn");
        md.AppendLine();
        md.AppendLine("Medians in milliseconds with (min-max) over the measured rounds; ratios divide a baseline's median by the reused arm's median (how many times faster reuse is). *Decoded* is what the reused arm actually decoded per turn (prompt minus cached tokens).");
        md.AppendLine();
        md.AppendLine("| History tokens | Prompt tokens | Reused: decoded / cached tokens | KV cache reused | Full, flash off | Full, flash ON | AsChatClient | vs full, flash off | vs full, flash ON | vs AsChatClient |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var h in results.Histories)
        {
            var reused = h.Case(SubjectNames.ContextReuse);
            var full = h.Case(SubjectNames.ContextFull);
            var flash = h.Case(SubjectNames.ContextFullFlash);
            var llamaSharp = h.Case(SubjectNames.ContextLLamaSharp);
            var fullMs = full?.TimeToFirstTokenMs.Median ?? h.Cold.TimeToFirstToken?.TotalMilliseconds;
            var fullCell = full is not null
                ? Ms(full)
                : string.Create(Invariant, $"{h.Cold.TimeToFirstToken?.TotalMilliseconds:F0} (n = 1: the cold request)");
            var decoded = reused is null ? "-" : string.Create(Invariant, $"{reused.PromptTokens.Median - reused.CachedPromptTokens.Median:F0} / {reused.CachedPromptTokens.Median:N0}");
            md.AppendLine(Invariant, $"| {h.HistoryTokens:N0} | {reused?.PromptTokens.Median:N0} | {decoded} | {(reused is null ? "-" : Ms(reused))} | {fullCell} | {(flash is null ? "-" : Ms(flash))} | {(llamaSharp is null ? "not run" : Ms(llamaSharp))} | " +
                $"{Ratio(fullMs, reused?.TimeToFirstTokenMs.Median)} | {Ratio(flash?.TimeToFirstTokenMs.Median, reused?.TimeToFirstTokenMs.Median)} | {Ratio(llamaSharp?.TimeToFirstTokenMs.Median, reused?.TimeToFirstTokenMs.Median)} |");
        }

        md.AppendLine();
    }

    private static void WriteDetails(StringBuilder md, ContextResults results)
    {
        md.AppendLine("#### Every contender, with the cached engine's cold first request");
        md.AppendLine();
        md.AppendLine("| History tokens | Contender | Flash attention | Prompt tokens | Cached tokens | Time to first token ms | Engine prompt ms | n |");
        md.AppendLine("|---:|---|---|---:|---:|---:|---:|---:|");
        foreach (var h in results.Histories)
        {
            var cold = h.Cold;
            md.AppendLine(Invariant, $"| {h.HistoryTokens:N0} | {SubjectNames.ContextReuse}: cold first request (turn 0) | off | {cold.PromptTokens:N0} | {cold.CachedPromptTokens:N0} | {cold.TimeToFirstToken?.TotalMilliseconds:F1} | {cold.PromptTime?.TotalMilliseconds:F0} | 1 |");
            foreach (var c in h.Cases)
            {
                var name = c.Case.Subject.Name;
                var engineMs = Summary.Of(c.Runs.SelectMany(r => r.Requests).Where(q => q.PromptTime is not null).Select(q => q.PromptTime!.Value.TotalMilliseconds));
                md.AppendLine(Invariant, $"| {h.HistoryTokens:N0} | {name} | {(name == SubjectNames.ContextFullFlash ? "ON" : "off")} | {c.PromptTokens.Median:N0} | {c.CachedPromptTokens.Median:N0} | {Ms(c)} | " +
                    $"{(engineMs.Count > 0 ? engineMs.Median.ToString("F0", Invariant) : "-")} | {c.Runs.Count} |");
            }
        }

        md.AppendLine();
        md.AppendLine(Invariant, $"Warm-up rounds (discarded) per size: {string.Join(", ", results.Histories.Select(h => string.Create(Invariant, $"{h.HistoryTokens:N0}: {h.WarmupRounds}")))}. " +
            $"AsChatClient's context per call: {string.Join(", ", results.Histories.Where(h => h.LLamaSharpContextSize is not null).Select(h => string.Create(Invariant, $"{h.LLamaSharpContextSize:N0} cells at {h.HistoryTokens:N0}")))}. " +
            $"Wall time per size (engine loads, the cold request and all rounds): {string.Join(", ", results.Histories.Select(h => string.Create(Invariant, $"{h.HistoryTokens:N0}: {h.Elapsed.TotalSeconds:F0} s")))}.");
        md.AppendLine();
    }

    private static void WriteReuseCounters(StringBuilder md, ContextResults results)
    {
        md.AppendLine("#### The reused arm's cache counters");
        md.AppendLine();
        md.AppendLine("`Llama4Engine.GetStatistics()` of the cached engine after its last round (cold request, warm-up and measured rounds).");
        md.AppendLine();
        md.AppendLine("| History tokens | Requests | Requests reusing the cache | Prompt tokens reused | Prompt tokens decoded | Chunk-limited reuses | Rejected reuses | Evicted sequences |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var h in results.Histories)
        {
            var s = h.ReuseStatistics;
            md.AppendLine(Invariant, $"| {h.HistoryTokens:N0} | {s.CompletedRequests} | {s.RequestsReusingCache} | {s.PromptTokensReused:N0} | {s.PromptTokensProcessed:N0} | {s.ChunkLimitedReuses} | {s.RejectedReuses} | {s.EvictedSequences} |");
        }

        md.AppendLine();
    }

    private static void WritePrefill(StringBuilder md, ContextResults results)
    {
        var p = results.Prefill;
        var prompt = p.Prefill;
        var promptSeconds = prompt.PromptTime?.TotalSeconds;
        var coldOff = results.Histories.Count > 0 ? results.Histories[^1] : null;
        var why = coldOff?.Cold.TimeToFirstToken is { } coldTime
            ? string.Create(Invariant, $"with it off, the {coldOff.HistoryTokens:N0}-token cold request above took {coldTime.TotalSeconds:F0} s, and the cost grows about quadratically with length; ")
            : string.Empty;
        md.AppendLine(Invariant, $"### 128k context: a prefill past 120k tokens, and memory");
        md.AppendLine();
        md.AppendLine(Invariant, $"One engine with `ContextSize = {p.Options.ContextSize}` ({p.Estimate.ContextSize:N0} cells allocated), `FlashAttention = Enabled`, `ReuseKvCache = true`, {p.Options.MaxParallelSequences} sequences, {p.Options.Threads} thread(s), the small SWA cache, F16 K/V, " +
            $"served one request through `Llama4ChatClient`: a {p.HistoryTokens:N0}-token history (the conversation above, continued) plus a question, nothing cached. " +
            $"Flash attention is on here because full prefills are where it pays: {why}and it shrinks the compute buffer (estimates below). Then the next turn ran on the same engine.");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---:|");
        md.AppendLine(Invariant, $"| Prompt tokens decoded | {prompt.PromptTokens:N0} ({prompt.CachedPromptTokens:N0} cached) |");
        md.AppendLine(Invariant, $"| Prefill time (engine: admission to first token) | {promptSeconds:F1} s |");
        md.AppendLine(Invariant, $"| Prefill speed | {(promptSeconds is > 0 ? (prompt.PromptTokens - prompt.CachedPromptTokens) / promptSeconds : null):F0} tokens/s |");
        md.AppendLine(Invariant, $"| Time to first token, caller's view (formatting and tokenizing the history included) | {prompt.TimeToFirstToken?.TotalSeconds:F1} s |");
        md.AppendLine(Invariant, $"| Next turn on the same engine: prompt / cached tokens | {p.NextTurn.PromptTokens:N0} / {p.NextTurn.CachedPromptTokens:N0} |");
        md.AppendLine(Invariant, $"| Next turn: time to first token (flash attention on, so the new question's small decode takes the slow path described above) | {p.NextTurn.TimeToFirstToken?.TotalMilliseconds:F0} ms |");
        md.AppendLine(Invariant, $"| Whole measurement (load, conversation, prefill, next turn) | {p.Elapsed.TotalSeconds:F0} s |");
        md.AppendLine();
        md.AppendLine("Memory of the process, read after a full GC (resident set from `/proc/self/status`; managed heap = live bytes after the collection):");
        md.AppendLine();
        md.AppendLine("| Moment | Resident (VmRSS) MiB | Managed heap MiB | GC committed MiB |");
        md.AppendLine("|---|---:|---:|---:|");
        WriteMemory(md, "Before the engine loaded (runtime, runner, no native library yet)", p.BeforeLoad);
        WriteMemory(md, "After the engine loaded (weights mapped, KV cache and buffers allocated)", p.AfterLoad);
        WriteMemory(md, string.Create(Invariant, $"After the prefill ({prompt.PromptTokens:N0} tokens cached; the conversation's text and token caches in the heap)"), p.AfterPrefill);
        md.AppendLine(Invariant, $"| Peak resident (VmHWM) by the end of the prefill | {p.AfterPrefill.PeakResidentBytes / MiB:F0} | | |");
        md.AppendLine();
        md.AppendLine("`Llama4MemoryEstimator.Estimate` for this configuration, and for the same one with flash attention off (the CPU default; not loaded here):");
        md.AppendLine();
        md.AppendLine("| Part | Flash attention ON (measured run) | Flash attention off |");
        md.AppendLine("|---|---:|---:|");
        var on = p.Estimate;
        var off = p.EstimateFlashAttentionOff;
        md.AppendLine(Invariant, $"| Weights (memory-mapped) | {on.WeightsBytes / MiB:F1} MiB | {off.WeightsBytes / MiB:F1} MiB |");
        md.AppendLine(Invariant, $"| KV cache, global layers | {Kv(on.GlobalKvCache)} | {Kv(off.GlobalKvCache)} |");
        md.AppendLine(Invariant, $"| KV cache, chunked-attention layers | {Kv(on.ChunkedKvCache)} | {Kv(off.ChunkedKvCache)} |");
        md.AppendLine(Invariant, $"| Compute buffer (approximate) | {on.ComputeBufferBytes / MiB:F1} MiB | {off.ComputeBufferBytes / MiB:F1} MiB |");
        md.AppendLine(Invariant, $"| Output buffer | {on.OutputBufferBytes / MiB:F1} MiB | {off.OutputBufferBytes / MiB:F1} MiB |");
        md.AppendLine(Invariant, $"| Total | {on.TotalBytes / MiB:F1} MiB | {off.TotalBytes / MiB:F1} MiB |");
        md.AppendLine();
        md.AppendLine(Invariant, $"Resident memory grew by {(p.AfterLoad.ResidentBytes - p.BeforeLoad.ResidentBytes) / MiB:F0} MiB with the load and by {(p.AfterPrefill.ResidentBytes - p.AfterLoad.ResidentBytes) / MiB:F0} MiB more with the prefill, " +
            $"{(p.AfterPrefill.ResidentBytes - p.BeforeLoad.ResidentBytes) / MiB:F0} MiB in all against the estimate's {on.TotalBytes / MiB:F0} MiB for weights, KV cache and buffers. " +
            $"The growth at load is not broken down further (the KV cache and buffers touched when the context is created are the likely part; this run does not verify it); the compute buffer's pages become resident as decodes first touch them; the managed heap holds the conversation's text and the engine's token caches. " +
            $"Resident memory also includes native code, allocator overhead and the runtime's own growth, which are not broken down here. " +
            $"On a real Llama 4 the KV cache dominates: see docs/context-management.md for Scout and Maverick at 128k.");
        md.AppendLine();
    }

    private static void WriteOtherSuites(StringBuilder md)
    {
        md.AppendLine("### The throughput and constrained suites and cache reuse");
        md.AppendLine();
        md.AppendLine("Those suites repeat one identical request, against raw LLamaSharp loops and `AsChatClient()`, which process every prompt in full. With reuse on, the engine would serve all but the last prompt token of each repeat from the previous round's cache, and their targets (what the wrapper costs per request, batching gains) would mix that saving in. They therefore load their engines with `ReuseKvCache = false`, and say so in their method; reuse is measured here, on its own.");
        md.AppendLine();
    }

    /// <summary>Facts computed from this run's numbers (no hand-written claims that could go stale).</summary>
    private static void WriteObservations(StringBuilder md, ContextResults results)
    {
        md.AppendLine("#### Observations from these numbers");
        md.AppendLine();
        foreach (var check in TargetCheck.ForContext(results))
        {
            md.AppendLine(Invariant, $"- {check.Target}: {Times(check.Measured)} ({(check.Met ? "met" : "missed")}).");
        }

        var first = results.Histories.Count > 0 ? results.Histories[0] : null;
        var last = results.Histories.Count > 0 ? results.Histories[^1] : null;
        if (first is not null && last is not null && first != last)
        {
            var growth = (double)last.HistoryTokens / first.HistoryTokens;
            md.AppendLine(Invariant, $"- From {first.HistoryTokens:N0} to {last.HistoryTokens:N0} history tokens ({growth:F0}x), the reused arm's time to first token went from {first.TtftMs(SubjectNames.ContextReuse):F1} to {last.TtftMs(SubjectNames.ContextReuse):F1} ms " +
                $"and full re-processing with flash attention on from {first.TtftMs(SubjectNames.ContextFullFlash):F0} to {last.TtftMs(SubjectNames.ContextFullFlash):F0} ms ({Ratio(last.TtftMs(SubjectNames.ContextFullFlash), first.TtftMs(SubjectNames.ContextFullFlash))}); " +
                $"with flash attention off, the cold requests went from {first.Cold.TimeToFirstToken?.TotalMilliseconds:F0} to {last.Cold.TimeToFirstToken?.TotalMilliseconds:F0} ms ({Ratio(last.Cold.TimeToFirstToken?.TotalMilliseconds, first.Cold.TimeToFirstToken?.TotalMilliseconds)}).");
        }

        foreach (var h in results.Histories.Where(h => h.Case(SubjectNames.ContextFull) is not null))
        {
            md.AppendLine(Invariant, $"- {h.HistoryTokens:N0} tokens: the cached engine's cold request took {h.Cold.TimeToFirstToken?.TotalMilliseconds:F0} ms, full re-processing with the same settings {h.TtftMs(SubjectNames.ContextFull):F0} ms (median), flash attention on {h.TtftMs(SubjectNames.ContextFullFlash):F0} ms " +
                $"(flash attention speeds full re-processing up {Ratio(h.TtftMs(SubjectNames.ContextFull), h.TtftMs(SubjectNames.ContextFullFlash))}).");
        }

        var limited = results.Histories.Sum(h => h.ReuseStatistics.ChunkLimitedReuses + h.ReuseStatistics.RejectedReuses);
        var measuredTurns = results.Histories.Sum(h => h.Case(SubjectNames.ContextReuse)?.Runs.Count ?? 0);
        md.AppendLine(Invariant, $"- The reused arm served {measuredTurns} measured turns; chunk-limited plus rejected reuses over all sizes: {limited}.");
        var p = results.Prefill;
        if (last?.Case(SubjectNames.ContextReuse) is { } lastReused && p.NextTurn.TimeToFirstToken is { } flashNext)
        {
            md.AppendLine(Invariant, $"- The next turn on the 128k engine (flash attention on, {p.NextTurn.PromptTokens - p.NextTurn.CachedPromptTokens} new tokens after {p.NextTurn.CachedPromptTokens:N0} cached) took {flashNext.TotalMilliseconds:F0} ms, " +
                $"against {lastReused.TimeToFirstTokenMs.Median:F0} ms for the reused arm (flash attention off) after {lastReused.CachedPromptTokens.Median:N0} cached tokens: on the CPU, a small decode at long context is where flash attention costs most, which is why reuse and flash attention off go together there.");
        }

        md.AppendLine(Invariant, $"- The 128k engine decoded {p.Prefill.PromptTokens:N0} prompt tokens in {p.Prefill.PromptTime?.TotalSeconds:F0} s and then reused {p.NextTurn.CachedPromptTokens:N0} of the next turn's {p.NextTurn.PromptTokens:N0}; the process's resident memory peaked at {p.AfterPrefill.PeakResidentBytes / MiB:F0} MiB.");
        md.AppendLine();
    }

    /// <summary>Full re-processing with flash attention off against on, per size: "1.4x to 4.1x".</summary>
    private static string FlashSpeedups(ContextResults results)
    {
        var speedups = results.Histories
            .Select(h => (Off: h.TtftMs(SubjectNames.ContextFull) ?? h.Cold.TimeToFirstToken?.TotalMilliseconds, On: h.TtftMs(SubjectNames.ContextFullFlash)))
            .Where(x => x.Off is > 0 && x.On is > 0)
            .Select(x => x.Off!.Value / x.On!.Value)
            .ToList();
        return speedups.Count == 0 ? "not measured" : Span(speedups.Min(), speedups.Max());
    }

    /// <summary>How the cold request compares with the rounds of full re-processing (flash attention off) where both ran.</summary>
    private static string ColdAgainstRounds(ContextResults results)
    {
        var ratios = results.Histories
            .Where(h => h.TtftMs(SubjectNames.ContextFull) is > 0 && h.Cold.TimeToFirstToken is not null)
            .Select(h => h.Cold.TimeToFirstToken!.Value.TotalMilliseconds / h.TtftMs(SubjectNames.ContextFull)!.Value)
            .ToList();
        return ratios.Count == 0
            ? string.Empty
            : string.Create(Invariant, $"The cold request is also the first decode of a freshly loaded engine (buffers touched for the first time) on a shared machine: where both ran, it took {Span(ratios.Min(), ratios.Max())} the median of the rounds, so read the single measurement as approximate.");
    }

    private static void WriteMemory(StringBuilder md, string moment, ProcessMemory memory) =>
        md.AppendLine(Invariant, $"| {moment} | {memory.ResidentBytes / MiB:F0} | {memory.ManagedHeapBytes / MiB:F1} | {memory.GcCommittedBytes / MiB:F1} |");

    private static string Kv(Llama4KvCacheEstimate cache) =>
        string.Create(Invariant, $"{cache.Bytes / MiB:F1} MiB ({cache.LayerCount} layer(s) x {cache.Cells:N0} cells)");

    private static string Ms(CaseMeasurement measurement) => MarkdownReport.Range(measurement.TimeToFirstTokenMs, measurement.TimeToFirstTokenMs.Median >= 100 ? "F0" : "F1");

    private static string Ratio(double? value, double? baseline) =>
        value is { } v && baseline is { } b && b > 0 ? Times(v / b) : "-";

    /// <summary>"1.4x to 4.1x", or one ratio when both ends print alike.</summary>
    private static string Span(double min, double max) => Times(min) == Times(max) ? Times(min) : Times(min) + " to " + Times(max);

    /// <summary>A ratio with as many decimals as it needs: 1.23x, 45.6x, 789x.</summary>
    private static string Times(double ratio) =>
        ratio.ToString(ratio >= 100 ? "F0" : ratio >= 10 ? "F1" : "F2", Invariant) + "x";

    private static string Duration(TimeSpan elapsed) => elapsed.TotalMinutes >= 2
        ? string.Create(Invariant, $"{elapsed.TotalMinutes:F0} min")
        : string.Create(Invariant, $"{elapsed.TotalSeconds:F0} s");

    private static string Load(double? otherProcessesCores, int cores) => otherProcessesCores is { } other
        ? string.Create(Invariant, $"other processes kept {other:F2} of the {cores} cores busy on average meanwhile (from /proc/stat), so single rounds are noisy: read medians and same-run ratios.")
        : "the load from other processes was not measured.";
}
