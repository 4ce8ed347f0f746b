using System.Diagnostics;
using Llama4.Benchmarks.Cli;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Subjects;
using Llama4.Benchmarks.Workload;
using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.TinyModel;
using LLama;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Llama4.Benchmarks;

/// <summary>
/// Sampling at Llama 4's real vocabulary size (suite "sampling"), on <see cref="TinyModelOptions.RealVocabulary"/>:
/// Llama4ChatClient with Meta's default sampling, top-k 40, greedy, a JSON schema and a required tool call, one and
/// 8/16 concurrent requests, against a raw LLamaSharp loop with LLamaSharp's own <c>DefaultSamplingPipeline</c>, all in
/// one process; CPU time and managed allocations per token of each run; then the samplers alone on one fixed set of
/// logits (<see cref="SamplerProbe"/>).
/// </summary>
internal static class SamplingBenchmark
{
    public static async Task<SamplingResults> RunAsync(BenchmarkOptions options, ILoggerFactory loggerFactory, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var started = Stopwatch.GetTimestamp();
        var load = new MachineLoadProbe();
        var budget = options.ScenarioBudget ?? BenchmarkOptions.DefaultScenarioBudget;
        var profile = ModelProfile.For(BenchmarkModel.RealVocabulary, options);
        await log.WriteLineAsync($"== sampling, {profile.Label}: generating or reusing the GGUF");
        var modelPath = TinyModelCache.GetOrCreate(profile.ModelOptions);
        var threads = BenchmarkEngines.Threads(options);
        await using var engine = await Llama4Engine.LoadAsync(
            BenchmarkEngines.Options(modelPath, options, threads, Llama4FlashAttentionMode.Auto, threads), loggerFactory, cancellationToken);
        // A second engine samples on every core: decode and sampling never overlap, so between two decodes all cores are free.
        var allCoresOptions = BenchmarkEngines.Options(modelPath, options, threads, Llama4FlashAttentionMode.Auto, threads);
        allCoresOptions.SamplingThreads = Environment.ProcessorCount;
        await using var allCoresEngine = engine.SamplingThreads < Environment.ProcessorCount
            ? await Llama4Engine.LoadAsync(allCoresOptions, loggerFactory, cancellationToken)
            : null;
        using var allCoresClient = allCoresEngine is null ? null : new Llama4ChatClient(allCoresEngine);
        var defaults = new BenchmarkSampling();
        var topK = defaults with { TopK = 40 };
        var greedy = defaults with { Temperature = 0 };
        var workload = new BenchmarkWorkload(engine, profile.MaxOutputTokens, defaults);
        var constrained = new ConstrainedWorkload(engine, workload);
        var flashAttention = engine.ActiveBackend == Llama4Backend.Cuda;
        var contextParams = ContextSettings.LikeEngine(engine, flashAttention);
        using var weights = await LLamaWeights.LoadFromFileAsync(contextParams, cancellationToken);
        using var client = new Llama4ChatClient(engine);
        var messages = BenchmarkWorkload.Messages;
        var max = profile.MaxOutputTokens;

        Llama4ChatOptionsSubject Client(string name, Func<int, ChatOptions> optionsFor) => new(name, client, messages, optionsFor);

        var clientDefault = Client(SubjectNames.SamplingDefault, i => defaults.ToLlama4ChatOptions(max, BenchmarkWorkload.SeedFor(i)));
        var clientTopK = Client(SubjectNames.SamplingTopK, i => topK.ToLlama4ChatOptions(max, BenchmarkWorkload.SeedFor(i)));
        var clientGreedy = Client(SubjectNames.SamplingGreedy, i => greedy.ToLlama4ChatOptions(max, BenchmarkWorkload.SeedFor(i)));
        var clientJson = Client(SubjectNames.SamplingJson, constrained.ClientJson);
        var clientToolsAuto = Client(SubjectNames.SamplingToolsAuto, constrained.ClientToolsAuto);
        var clientTool = Client(SubjectNames.SamplingRequiredTool, constrained.ClientRequiredToolCall);
        var allCoresDefault = allCoresClient is null
            ? null
            : new Llama4ChatOptionsSubject(SubjectNames.SamplingDefaultAllCores, allCoresClient, messages, i => defaults.ToLlama4ChatOptions(max, BenchmarkWorkload.SeedFor(i)));
        var allCoresJson = allCoresClient is null ? null : new Llama4ChatOptionsSubject(SubjectNames.SamplingJsonAllCores, allCoresClient, messages, constrained.ClientJson);
        using var rawDefault = new RawBatchedSubject(SubjectNames.RawDefault, weights, contextParams, workload);
        using var rawTopK = new RawBatchedSubject(SubjectNames.RawTopK, weights, contextParams, new BenchmarkWorkload(engine, max, topK));
        using var rawGreedy = new RawBatchedSubject(SubjectNames.RawGreedy, weights, contextParams, new BenchmarkWorkload(engine, max, greedy));
        using var rawJson = new RawBatchedSubject(SubjectNames.RawJson, weights, contextParams, workload, constrained.JsonGrammar);
        await log.WriteLineAsync(
            $"   {modelPath} ({new FileInfo(modelPath).Length / 1e6:F1} MB, vocabulary {weights.Vocab.Count}), context {engine.ContextSize}, threads {threads}, " +
            $"sampling threads {engine.SamplingThreads}, prompt {workload.PromptTokens.Length} tokens " +
            $"(with the tools {constrained.ToolPromptTokens.Length}), max output {max}");

        await log.WriteLineAsync("-- sampling 1: single stream");
        var single = await RoundRobinScheduler.RunAsync(
            [.. new IBenchmarkSubject[] { clientDefault, clientTopK, clientGreedy, clientJson, clientToolsAuto, clientTool, rawDefault, rawTopK, rawGreedy, rawJson }.Select(s => new BenchmarkCase(s, 1))],
            profile.WarmupRounds,
            profile.Rounds,
            budget,
            log,
            cancellationToken);

        var concurrency = new List<CaseMeasurement>();
        foreach (var level in profile.ConcurrencyLevels.Where(l => l > 1))
        {
            await log.WriteLineAsync($"-- sampling 2: {level} concurrent requests");
            List<IBenchmarkSubject> subjects = level <= 8
                ? [clientDefault, clientTopK, clientGreedy, clientJson, rawDefault, rawTopK, rawJson]
                : [clientDefault, clientTopK, rawDefault, rawTopK];
            if (allCoresDefault is not null && allCoresJson is not null)
            {
                subjects.Add(allCoresDefault);
                if (level <= 8)
                {
                    subjects.Add(allCoresJson);
                }
            }

            concurrency.AddRange(await RoundRobinScheduler.RunAsync(
                [.. subjects.Select(s => new BenchmarkCase(s, level))],
                profile.ConcurrencyWarmupRounds,
                profile.Rounds,
                budget,
                log,
                cancellationToken));
        }

        await log.WriteLineAsync("-- sampling 3: the samplers alone, on one fixed set of logits");
        var settings = options.Quick ? MicroBenchmarkSettings.Quick : MicroBenchmarkSettings.Full with { Iterations = 1000, Budget = TimeSpan.FromSeconds(8) };
        var (alone, constrainedDraws) = await SamplerProbe.RunAsync(weights, contextParams, workload.PromptTokens, constrained.JsonGrammar, settings, log, cancellationToken);

        return new SamplingResults(
            profile,
            new FileInfo(modelPath).Length,
            weights.Vocab.Count,
            threads,
            engine.SamplingThreads,
            allCoresEngine?.SamplingThreads,
            engine.ContextSize,
            workload.PromptTokens.Length,
            constrained.ToolPromptTokens.Length,
            defaults,
            single,
            concurrency,
            alone,
            constrainedDraws,
            DateTimeOffset.UtcNow,
            Stopwatch.GetElapsedTime(started),
            load.OtherProcessesCores());
    }
}
