using System.Diagnostics;
using System.Text;
using Llama4.Benchmarks.Cli;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Subjects;
using Llama4.Benchmarks.Workload;
using Llama4.Core;
using Llama4.TinyModel;
using LLama;
using LLama.Common;
using Microsoft.Extensions.Logging;

namespace Llama4.Benchmarks;

/// <summary>Loads one model for every contender and runs the three scenarios on it.</summary>
internal static class ModelBenchmark
{
    public const int MaxParallelSequences = 16;

    public static async Task<ModelResults> RunAsync(
        ModelProfile profile,
        BenchmarkOptions options,
        ILoggerFactory loggerFactory,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(options);
        var started = Stopwatch.GetTimestamp();
        var load = new MachineLoadProbe();
        var budget = options.ScenarioBudget ?? BenchmarkOptions.DefaultScenarioBudget;
        await log.WriteLineAsync($"== {profile.Label}: generating or reusing the GGUF");
        var modelPath = TinyModelCache.GetOrCreate(profile.ModelOptions);
        var threads = BenchmarkEngines.Threads(options);

        Llama4EngineOptions EngineOptions(Llama4FlashAttentionMode flashAttention, int batchThreads) =>
            BenchmarkEngines.Options(modelPath, options, threads, flashAttention, batchThreads);

        // The engine loads first: it configures LLamaSharp's native library (backend, log route) before any other call.
        // Two variants show settings the engine could choose differently: flash attention on, and llama.cpp's batch
        // threads (used for every decode of more than one token: prefill and multi-sequence steps) on all cores.
        await using var engine = await Llama4Engine.LoadAsync(EngineOptions(Llama4FlashAttentionMode.Auto, threads), loggerFactory, cancellationToken);
        await using var flashEngine = await Llama4Engine.LoadAsync(EngineOptions(Llama4FlashAttentionMode.Enabled, threads), loggerFactory, cancellationToken);
        await using var batchThreadsEngine = Environment.ProcessorCount > threads
            ? await Llama4Engine.LoadAsync(EngineOptions(Llama4FlashAttentionMode.Auto, Environment.ProcessorCount), loggerFactory, cancellationToken)
            : null;

        // Auto resolves to "on" only with GPU offload; this runner loads the CPU backend, so it is off.
        var flashAttention = engine.ActiveBackend == Llama4Backend.Cuda;
        var workload = new BenchmarkWorkload(engine, profile.MaxOutputTokens, new BenchmarkSampling());
        var batchedParams = ContextSettings.LikeEngine(engine, flashAttention);
        var separateKvParams = ContextSettings.LikeEngine(engine, flashAttention, unifiedKvCache: false);
        var singleParams = ContextSettings.SingleSequence(engine, flashAttention, workload.SingleRequestContextSize);
        using var weights = await LLamaWeights.LoadFromFileAsync(batchedParams, cancellationToken);
        var llamaSharpPromptTokens = CountLLamaSharpPromptTokens(weights, workload);

        using var client = new Llama4ClientSubject(SubjectNames.Client, engine, workload);
        var engineDirect = new Llama4EngineSubject(SubjectNames.Engine, engine, workload);
        using var flashClient = new Llama4ClientSubject(SubjectNames.ClientFlashAttention, flashEngine, workload);
        using var batchThreadsClient = batchThreadsEngine is null ? null : new Llama4ClientSubject(SubjectNames.ClientBatchThreads, batchThreadsEngine, workload);
        using var raw = new RawBatchedSubject(SubjectNames.Raw, weights, batchedParams, workload);
        using var rawSeparateKv = new RawBatchedSubject(SubjectNames.RawSeparateKv, weights, separateKvParams, workload);
        using var shared = new LLamaSharpSharedClientSubject(SubjectNames.LLamaSharpShared, weights, singleParams, workload);
        var perRequest = new LLamaSharpPerRequestSubject(SubjectNames.LLamaSharpPerRequest, weights, singleParams, workload);

        await log.WriteLineAsync(
            $"   {modelPath} ({new FileInfo(modelPath).Length / 1e6:F1} MB), context {engine.ContextSize}, threads {threads}, " +
            $"prompt {workload.PromptTokens.Length} tokens (AsChatClient text prompt {llamaSharpPromptTokens}), max output {workload.MaxOutputTokens}");

        await log.WriteLineAsync("-- scenario 1: single stream");
        var single = await RoundRobinScheduler.RunAsync(
            [new BenchmarkCase(raw, 1), new BenchmarkCase(client, 1), new BenchmarkCase(engineDirect, 1), new BenchmarkCase(flashClient, 1), new BenchmarkCase(shared, 1)],
            profile.WarmupRounds,
            profile.Rounds,
            budget,
            log,
            cancellationToken);

        var concurrency = new List<CaseMeasurement>();
        var levelBudget = budget / profile.ConcurrencyLevels.Count;
        foreach (var level in profile.ConcurrencyLevels)
        {
            // Levels run in ascending order, so the engine's all-time MaxSequencesInOneDecode reads per level.
            await log.WriteLineAsync($"-- scenarios 2 and 3: {level} concurrent request(s)");
            List<BenchmarkCase> cases = [new(client, level), new(raw, level), new(rawSeparateKv, level), new(perRequest, level)];
            if (level == profile.ConcurrencyLevels[^1])
            {
                cases.Add(new BenchmarkCase(flashClient, level));
                if (batchThreadsClient is not null)
                {
                    cases.Add(new BenchmarkCase(batchThreadsClient, level));
                }
            }

            concurrency.AddRange(await RoundRobinScheduler.RunAsync(cases, profile.ConcurrencyWarmupRounds, profile.Rounds, levelBudget, log, cancellationToken));
        }

        return new ModelResults(
            profile,
            modelPath,
            new FileInfo(modelPath).Length,
            threads,
            engine.ContextSize,
            engine.MaxParallelSequences,
            workload.SingleRequestContextSize,
            flashAttention,
            workload.PromptTokens.Length,
            llamaSharpPromptTokens,
            workload.Sampling,
            single,
            concurrency,
            engine.GetStatistics(),
            flashEngine.GetStatistics(),
            Stopwatch.GetElapsedTime(started),
            load.OtherProcessesCores());
    }

    /// <summary>The prompt StatelessExecutor decodes for AsChatClient(): "System: ...\nUser: ...\nAssistant: ", BOS added, specials parsed.</summary>
    private static int CountLLamaSharpPromptTokens(LLamaWeights weights, BenchmarkWorkload workload)
    {
        var history = new ChatHistory();
        history.AddMessage(AuthorRole.System, BenchmarkWorkload.SystemPrompt);
        history.AddMessage(AuthorRole.User, BenchmarkWorkload.UserPrompt);
        var text = new LLamaTransforms.DefaultHistoryTransform().HistoryToText(history) + "Assistant: ";
        return weights.Tokenize(text, true, true, Encoding.UTF8).Length;
    }
}
