using System.Diagnostics;
using System.Globalization;
using Llama4.Benchmarks.Cli;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Subjects;
using Llama4.Benchmarks.Workload;
using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.TinyModel;
using LLama;
using LLama.Common;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace Llama4.Benchmarks;

/// <summary>
/// Long conversations in a 128k context on the tiny model. First a prefill past 120k tokens on one engine, with the
/// process's memory before the load, after it and after the prefill (it runs first, so the reading before the load is
/// the process without any engine). Then, for each history size, fresh engines (empty caches) serve the next turn of
/// the same conversation: one that reuses its KV cache, the same engine with <c>ReuseKvCache = false</c> (full
/// re-processing, as stateless connectors do), that with flash attention on (the fastest full re-processing on the CPU),
/// and LLamaSharp's own <c>AsChatClient()</c>. The cached engine's first request comes first, outside the rounds: it
/// processes the history, which every later turn reuses.
/// </summary>
internal static class ContextBenchmark
{
    public static async Task<ContextResults> RunAsync(
        BenchmarkOptions options,
        ILoggerFactory loggerFactory,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var started = Stopwatch.GetTimestamp();
        var load = new MachineLoadProbe();
        var profile = ContextProfile.For(options);
        var threads = BenchmarkEngines.Threads(options);
        var sampling = new BenchmarkSampling();
        await log.WriteLineAsync("== context: long conversations, tiny model (TinyModelOptions.Default): generating or reusing the GGUF");
        var modelPath = TinyModelCache.GetOrCreate(TinyModelOptions.Default);

        var prefill = await RunPrefillAsync(modelPath, profile, threads, sampling, loggerFactory, log, cancellationToken);

        // AsChatClient's executors share one copy of the weights, loaded once the native library is configured (by the
        // prefill's engine) and after the memory readings. CPU only, memory-mapped, as the engines load them.
        using var weights = profile.Sizes.Any(s => s.HistoryTokens <= profile.RoundsBaselineLimit)
            ? await LLamaWeights.LoadFromFileAsync(new ModelParams(modelPath) { GpuLayerCount = 0, LoadMode = LLamaLoadMode.MemoryMap }, cancellationToken)
            : null;
        var histories = new List<HistoryMeasurement>();
        var sequences = 0;
        var chunkSize = 0;
        var vocabulary = 0;
        foreach (var size in profile.Sizes)
        {
            var measurement = await RunHistoryAsync(size, modelPath, profile, threads, sampling, weights, loggerFactory, log, cancellationToken);
            histories.Add(measurement.Result);
            sequences = measurement.Sequences;
            chunkSize = measurement.ChunkSize;
            vocabulary = measurement.VocabularySize;
        }

        return new ContextResults(
            profile,
            new FileInfo(modelPath).Length,
            threads,
            sequences,
            chunkSize,
            vocabulary,
            sampling,
            prefill,
            histories,
            DateTimeOffset.UtcNow,
            Stopwatch.GetElapsedTime(started),
            load.OtherProcessesCores());
    }

    private static async Task<PrefillMeasurement> RunPrefillAsync(
        string modelPath,
        ContextProfile profile,
        int threads,
        BenchmarkSampling sampling,
        ILoggerFactory loggerFactory,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var options = BenchmarkEngines.ContextOptions(modelPath, profile.ContextSize, threads, Llama4FlashAttentionMode.Enabled, reuseKvCache: true);
        var estimate = Llama4MemoryEstimator.Estimate(options);
        var estimateOff = Llama4MemoryEstimator.Estimate(
            BenchmarkEngines.ContextOptions(modelPath, profile.ContextSize, threads, Llama4FlashAttentionMode.Disabled, reuseKvCache: true));
        var beforeLoad = ProcessMemory.Read();
        await using var engine = await Llama4Engine.LoadAsync(options, loggerFactory, cancellationToken);
        var afterLoad = ProcessMemory.Read();

        var conversation = ContextConversation.Create(new Llama4ChatTokenCounter(engine), profile.PrefillTokens, engine.ChunkSize, questionCount: 2);
        using var subject = new Llama4ConversationSubject(SubjectNames.ContextPrefill, engine, conversation, sampling);
        await log.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"-- prefill: context {engine.ContextSize}, flash attention on, {threads} thread(s); history {conversation.HistoryTokens} tokens ({conversation.UserTurns} user turns)"));
        var prefill = await subject.RunTurnAsync(0, cancellationToken);
        await LogRequestAsync(log, "prefill", prefill);
        var afterPrefill = ProcessMemory.Read();
        var next = await subject.RunTurnAsync(1, cancellationToken);
        await LogRequestAsync(log, "next turn", next);
        return new PrefillMeasurement(
            engine.Options,
            estimate,
            estimateOff,
            beforeLoad,
            afterLoad,
            afterPrefill,
            conversation.HistoryTokens,
            prefill,
            next,
            engine.GetStatistics(),
            Stopwatch.GetElapsedTime(started));
    }

    private static async Task<(HistoryMeasurement Result, int Sequences, int ChunkSize, int VocabularySize)> RunHistoryAsync(
        HistorySize size,
        string modelPath,
        ContextProfile profile,
        int threads,
        BenchmarkSampling sampling,
        LLamaWeights? weights,
        ILoggerFactory loggerFactory,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Llama4EngineOptions Options(Llama4FlashAttentionMode flashAttention, bool reuse) =>
            BenchmarkEngines.ContextOptions(modelPath, profile.ContextSize, threads, flashAttention, reuse);

        // Fresh engines for every size: each starts with an empty cache, and no idle sequence of another size widens
        // the cells a decode attends over. Flash attention Auto resolves to off on the CPU backend (the engine's default).
        var withBaselines = size.HistoryTokens <= profile.RoundsBaselineLimit;
        await using var reuseEngine = await Llama4Engine.LoadAsync(Options(Llama4FlashAttentionMode.Auto, reuse: true), loggerFactory, cancellationToken);
        await using var fullEngine = withBaselines ? await Llama4Engine.LoadAsync(Options(Llama4FlashAttentionMode.Auto, reuse: false), loggerFactory, cancellationToken) : null;
        await using var flashEngine = await Llama4Engine.LoadAsync(Options(Llama4FlashAttentionMode.Enabled, reuse: false), loggerFactory, cancellationToken);

        var questions = ContextProfile.QuestionsFor(size);
        var conversation = ContextConversation.Create(new Llama4ChatTokenCounter(reuseEngine), size.HistoryTokens, reuseEngine.ChunkSize, questions);
        using var reuse = new Llama4ConversationSubject(SubjectNames.ContextReuse, reuseEngine, conversation, sampling);
        using var full = fullEngine is null ? null : new Llama4ConversationSubject(SubjectNames.ContextFull, fullEngine, conversation, sampling);
        using var flash = new Llama4ConversationSubject(SubjectNames.ContextFullFlash, flashEngine, conversation, sampling);
        using var llamaSharp = fullEngine is null || weights is null
            ? null
            : LLamaSharpConversationSubject.Create(SubjectNames.ContextLLamaSharp, weights, ContextSettings.LikeEngine(fullEngine, flashAttention: false), conversation, questions, sampling);

        // The engine tokenizes each message once and remembers it (whatever ReuseKvCache says), so on turn N the
        // history's text is already tokenized on every engine; the cached engine's first request does that for it.
        foreach (var engine in new[] { fullEngine, flashEngine }.OfType<Llama4Engine>())
        {
            _ = new Llama4ChatTokenCounter(engine).CountTokens(conversation.MessagesFor(0), options: null);
        }

        var llamaSharpContext = llamaSharp is null ? "not run" : llamaSharp.ContextSize.ToString(CultureInfo.InvariantCulture);
        await log.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"-- history of {conversation.HistoryTokens} tokens ({conversation.UserTurns} user turns), target {size.HistoryTokens}; context {reuseEngine.ContextSize}, {threads} thread(s); AsChatClient context {llamaSharpContext}"));
        var cold = await reuse.RunTurnAsync(0, cancellationToken);
        await LogRequestAsync(log, "cold first request on the cached engine", cold);

        List<BenchmarkCase> cases = [new(reuse, 1)];
        if (full is not null)
        {
            cases.Add(new BenchmarkCase(full, 1));
        }

        cases.Add(new BenchmarkCase(flash, 1));
        if (llamaSharp is not null)
        {
            cases.Add(new BenchmarkCase(llamaSharp, 1));
        }

        var measured = await RoundRobinScheduler.RunAsync(cases, size.WarmupRounds, size.Rounds, profile.BudgetPerSize, log, cancellationToken);
        var result = new HistoryMeasurement(
            size.HistoryTokens,
            conversation.HistoryTokens,
            conversation.UserTurns,
            conversation.Characters,
            cold,
            measured,
            reuseEngine.GetStatistics(),
            llamaSharp?.ContextSize,
            size.WarmupRounds,
            Stopwatch.GetElapsedTime(started));
        return (result, reuseEngine.MaxParallelSequences, reuseEngine.ChunkSize, reuseEngine.Model.VocabularySize);
    }

    private static Task LogRequestAsync(TextWriter log, string what, RequestResult request) => log.WriteLineAsync(string.Create(
        CultureInfo.InvariantCulture,
        $"  {what}: prompt {request.PromptTokens} tokens, {request.CachedPromptTokens} cached, time to first token {request.TimeToFirstToken?.TotalMilliseconds:F1} ms (engine prompt time {request.PromptTime?.TotalMilliseconds:F0} ms)"));
}
