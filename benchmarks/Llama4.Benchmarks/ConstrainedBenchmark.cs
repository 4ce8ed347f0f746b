using System.Diagnostics;
using Llama4.Benchmarks.Cli;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Subjects;
using Llama4.Benchmarks.Workload;
using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.TinyModel;
using LLama;
using LLama.Native;
using LLama.Sampling;
using Microsoft.Extensions.Logging;

namespace Llama4.Benchmarks;

/// <summary>
/// Constrained against free generation on one model: the same prompt and seeds generated free, as JSON valid against a
/// bounded schema, and as a required tool call, through the engine and through Llama4ChatClient, one at a time and
/// <see cref="ModelBenchmark.MaxParallelSequences"/> at once; then a sampling probe that splits the time per token into
/// decode and sampling, and llama.cpp's grammar parse per request.
/// </summary>
internal static class ConstrainedBenchmark
{
    public const string ProbeFree = "free text";

    public const string ProbeJson = "JSON schema, Extended (the engine's sampler)";

    public const string ProbeJsonBasic = "JSON schema, Basic";

    public const string ProbeJsonNone = "JSON schema, None (grammar over the whole vocabulary)";

    public const string ProbeJsonTopK = "JSON schema, Extended, top-k 40 (other distribution)";

    public const string ProbeJsonMasked = "JSON schema, Extended, control tokens masked";

    public const string ProbeToolFree = "tool prompt, free text";

    public const string ProbeTool = "required tool call, Extended (the engine's sampler)";

    public const string ProbeFiftyProperties = "50-property schema, Extended";

    public const string BatchFreeSerial = "free text, sampled one after another (the engine before issue 16)";

    public const string BatchFreeParallel = "free text, sampled in parallel";

    public const string BatchJsonSerial = "JSON schema, sampled one after another (the engine before issue 16)";

    public const string BatchJsonParallel = "JSON schema, sampled in parallel";

    public static async Task<ConstrainedResults> RunAsync(
        ModelProfile profile,
        BenchmarkOptions options,
        ILoggerFactory loggerFactory,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var started = Stopwatch.GetTimestamp();
        var load = new MachineLoadProbe();
        var budget = options.ScenarioBudget ?? BenchmarkOptions.DefaultScenarioBudget;
        await log.WriteLineAsync($"== constrained generation, {profile.Label}: generating or reusing the GGUF");
        var modelPath = TinyModelCache.GetOrCreate(profile.ModelOptions);
        var threads = BenchmarkEngines.Threads(options);
        await using var engine = await Llama4Engine.LoadAsync(
            BenchmarkEngines.Options(modelPath, options, threads, Llama4FlashAttentionMode.Auto, threads), loggerFactory, cancellationToken);
        var workload = new BenchmarkWorkload(engine, profile.MaxOutputTokens, new BenchmarkSampling());
        var constrained = new ConstrainedWorkload(engine, workload);
        using var client = new Llama4ChatClient(engine);
        await log.WriteLineAsync(
            $"   {modelPath}, context {engine.ContextSize}, threads {threads}, prompt {workload.PromptTokens.Length} tokens " +
            $"(with the tools {constrained.ToolPromptTokens.Length}), max output {workload.MaxOutputTokens}");

        var engineFree = new Llama4EngineRequestSubject(SubjectNames.EngineFree, engine, constrained.Unconstrained);
        var engineJson = new Llama4EngineRequestSubject(SubjectNames.EngineJson, engine, constrained.Json);
        var engineToolFree = new Llama4EngineRequestSubject(SubjectNames.EngineToolPromptFree, engine, constrained.ToolPromptUnconstrained);
        var engineTool = new Llama4EngineRequestSubject(SubjectNames.EngineRequiredTool, engine, constrained.RequiredToolCall);
        var messages = BenchmarkWorkload.Messages;
        var clientFree = new Llama4ChatOptionsSubject(SubjectNames.ClientFree, client, messages, constrained.ClientUnconstrained);
        var clientJson = new Llama4ChatOptionsSubject(SubjectNames.ClientJson, client, messages, constrained.ClientJson);
        var clientToolsAuto = new Llama4ChatOptionsSubject(SubjectNames.ClientToolsAuto, client, messages, constrained.ClientToolsAuto);
        var clientTool = new Llama4ChatOptionsSubject(SubjectNames.ClientRequiredTool, client, messages, constrained.ClientRequiredToolCall);

        await log.WriteLineAsync("-- constrained 1: single stream");
        var single = await RoundRobinScheduler.RunAsync(
            [.. new IBenchmarkSubject[] { engineFree, engineJson, engineToolFree, engineTool, clientFree, clientJson, clientToolsAuto, clientTool }.Select(s => new BenchmarkCase(s, 1))],
            profile.WarmupRounds,
            profile.Rounds,
            budget,
            log,
            cancellationToken);

        // Tool calls stay single-stream: with the tools listed the prompt is about 15 times longer, so a burst of them
        // does not fit the shared context at once and would measure queueing and prefill rather than sampling.
        var level = profile.ConcurrencyLevels[^1];
        await log.WriteLineAsync($"-- constrained 2: {level} concurrent requests");
        var concurrent = await RoundRobinScheduler.RunAsync(
            [new BenchmarkCase(engineFree, level), new BenchmarkCase(engineJson, level)],
            profile.ConcurrencyWarmupRounds,
            profile.Rounds,
            budget,
            log,
            cancellationToken);

        // The probe runs on its own context over its own weights, with the engine's settings; the engine is idle meanwhile.
        await log.WriteLineAsync("-- constrained 3: sampling probe (decode and sampling time per token)");
        var contextParams = ContextSettings.LikeEngine(engine, engine.ActiveBackend == Llama4Backend.Cuda);
        using var weights = await LLamaWeights.LoadFromFileAsync(contextParams, cancellationToken);
        var fifty = ConverterBenchmark.BuildFiftyPropertyGrammar(ConverterSchema.Create());
        var prompt = workload.PromptTokens;
        SamplingVariant[] variants =
        [
            new(ProbeFree, prompt, null),
            new(ProbeJson, prompt, constrained.JsonGrammar),
            new(ProbeJsonBasic, prompt, constrained.JsonGrammar, DefaultSamplingPipeline.GrammarOptimizationMode.Basic),
            new(ProbeJsonNone, prompt, constrained.JsonGrammar, DefaultSamplingPipeline.GrammarOptimizationMode.None),
            new(ProbeJsonTopK, prompt, constrained.JsonGrammar, TopK: 40),
            new(ProbeJsonMasked, prompt, constrained.JsonGrammar, MaskControlTokens: true),
            new(ProbeToolFree, constrained.ToolPromptTokens, null),
            new(ProbeTool, constrained.ToolPromptTokens, constrained.ToolGrammar),
            new(ProbeFiftyProperties, prompt, fifty),
        ];
        var probeRounds = Math.Max(2, profile.Rounds / 2);
        var probe = await SamplingProbe.RunAsync(
            weights, contextParams, workload.Sampling, workload.MaxOutputTokens, variants, warmupRounds: 1, probeRounds, log, cancellationToken);

        await log.WriteLineAsync($"-- constrained 4: {level} sequences sampled one after another (as the engine's loop did before issue 16) or in parallel");
        BatchSamplingVariant[] batchVariants =
        [
            new(BatchFreeSerial, null, Parallel: false),
            new(BatchFreeParallel, null, Parallel: true),
            new(BatchJsonSerial, constrained.JsonGrammar, Parallel: false),
            new(BatchJsonParallel, constrained.JsonGrammar, Parallel: true),
        ];
        var batchSampling = await BatchSamplingProbe.RunAsync(
            weights, contextParams, workload.Sampling, workload.MaxOutputTokens, prompt, level, batchVariants, warmupRounds: 1, Math.Max(2, profile.Rounds / 3), log, cancellationToken);

        await log.WriteLineAsync("-- constrained 5: llama.cpp's grammar parse per request");
        var settings = options.Quick ? MicroBenchmarkSettings.Quick : MicroBenchmarkSettings.Full with { Iterations = 500, Budget = TimeSpan.FromSeconds(5) };
        (string Name, Llama4Grammar Grammar)[] parsed =
        [
            (ConverterBenchmark.BoundedGrammar, constrained.JsonGrammar),
            (ConverterBenchmark.ToolGrammar, constrained.ToolGrammar),
            (ConverterBenchmark.FiftyPropertyGrammar, fifty),
        ];
        var parses = NativeGrammarParse.MeasureAll(weights, [.. parsed.Select(g => ($"llama_sampler_init_grammar, {g.Name}", g.Grammar))], settings, log);
        var grammars = parsed.Select((g, i) => (g.Name, GrammarSize.Of(g.Grammar), parses[i])).ToList();

        return new ConstrainedResults(
            profile,
            new FileInfo(modelPath).Length,
            threads,
            engine.ContextSize,
            weights.Vocab.Count,
            Enumerable.Range(0, weights.Vocab.Count).Count(id => ((LLamaToken)id).IsControl(weights.Vocab)),
            workload.PromptTokens.Length,
            constrained.ToolPromptTokens.Length,
            workload.Sampling,
            single,
            concurrent,
            level,
            probe,
            probeRounds,
            batchSampling,
            grammars,
            DateTimeOffset.UtcNow,
            Stopwatch.GetElapsedTime(started),
            load.OtherProcessesCores());
    }
}
