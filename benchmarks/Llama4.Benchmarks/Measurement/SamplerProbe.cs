using Llama4.Benchmarks.Workload;
using Llama4.Core;
using Llama4.Core.Inference.Sampling;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;

namespace Llama4.Benchmarks.Measurement;

/// <summary>
/// The samplers alone: one prompt decoded once on a raw <see cref="BatchedExecutor"/>, then every sampler draws a token
/// from that same row of logits again and again (its RNG and penalty window advance as in generation). Nothing is
/// decoded in between, so the time and the managed allocations per draw are the sampler's own. Each chain runs twice:
/// through LLamaSharp's <c>DefaultSamplingPipeline</c> and through the engine's own sampler (<see cref="SequenceSampler"/>).
/// The JSON rows draw the first token of a reply constrained by a schema, each draw with a fresh grammar (its parse
/// included), which a random-weight model almost never proposes: they time the path where the grammar rejects the
/// drawn token.
/// </summary>
internal static class SamplerProbe
{
    /// <summary>The sampling chains measured, by name.</summary>
    public static IReadOnlyList<(string Name, BenchmarkSampling Sampling)> Chains { get; } =
    [
        ("Meta's defaults (temperature 0.6, top-p 0.9)", new BenchmarkSampling()),
        ("top-k 40, top-p 0.9, temperature 0.6", new BenchmarkSampling { TopK = 40 }),
        ("greedy (temperature 0)", new BenchmarkSampling { Temperature = 0 }),
        ("min-p 0.05, temperature 0.6 (no top-p)", new BenchmarkSampling { TopP = 1, MinP = 0.05f }),
        ("penalties (repeat 1.1, frequency 0.2, presence 0.2, last 64), Meta's defaults", new BenchmarkSampling { RepeatPenalty = 1.1f, FrequencyPenalty = 0.2f, PresencePenalty = 0.2f }),
    ];

    public const string LLamaSharpJson = "LLamaSharp DefaultSamplingPipeline, JSON schema, first token (fresh grammar each draw)";

    public const string EngineJson = "engine sampler, JSON schema, first token (fresh grammar each draw)";

    public const string EngineJsonString = "engine sampler, JSON schema, in a string 4 characters before its maxLength (fresh grammar each draw)";

    /// <summary>Text that leads the constrained suite's JSON reply into its title (maxLength 24) with 20 characters written.</summary>
    private static readonly string[] StringPrefixes = ["{\"title\":\"abcdefghijklmnopqrst", "{\"title\": \"abcdefghijklmnopqrst"];

    /// <summary>The tokens of the first prepared prefix the grammar accepts token by token, or null.</summary>
    private static int[]? StringPrefix(LLamaWeights weights, Llama4Grammar json, SamplingWorkspace workspace)
    {
        foreach (var text in StringPrefixes)
        {
            var tokens = weights.Tokenize(text, false, false, System.Text.Encoding.UTF8).Select(t => (int)t).ToArray();
            using var grammar = new GrammarConstraint(weights.NativeHandle, json);
            var accepted = true;
            foreach (var token in tokens)
            {
                // Accepting a token the grammar refuses would abort llama.cpp: check each first.
                if (!grammar.Allows(token, workspace))
                {
                    accepted = false;
                    break;
                }

                grammar.Accept(token);
            }

            if (accepted)
            {
                return tokens;
            }
        }

        return null;
    }

    public static async Task<(IReadOnlyList<MicroResult> Results, IReadOnlyList<ConstrainedDrawStats> Constrained)> RunAsync(
        LLamaWeights weights,
        ModelParams contextParams,
        LLamaToken[] prompt,
        Llama4Grammar json,
        MicroBenchmarkSettings settings,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(prompt);
        using var executor = new BatchedExecutor(weights, contextParams);
        using var conversation = executor.Create();
        conversation.Prompt(prompt.AsSpan());
        var decoded = await executor.Infer(cancellationToken);
        if (decoded != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"The probe's prompt did not decode: {decoded}.");
        }

        var context = executor.Context.NativeHandle;
        var index = conversation.GetSampleIndex();
        var vocabulary = weights.Vocab.Count;
        _ = context.GetLogitsIth(index);
        var pipelines = Chains.Select(c => c.Sampling.CreatePipeline(BenchmarkWorkload.BaseSeed)).ToList();
        var samplers = Chains.Select(c => new SequenceSampler(SamplingSettings.Create(c.Sampling.ToLlama4(BenchmarkWorkload.BaseSeed)), null)).ToList();
        var workspace = new SamplingWorkspace(vocabulary);
        var prefixes = TokenPrefixes.Build(weights.NativeHandle, vocabulary);
        Func<TokenPrefixes> prefixesOf = () => prefixes;
        var defaults = Chains[0].Sampling;
        var jsonSeed = 0L;
        try
        {
            var operations = new List<(string Name, Action Operation)>();
            for (var i = 0; i < Chains.Count; i++)
            {
                var pipeline = pipelines[i];
                var sampler = samplers[i];
                operations.Add(("LLamaSharp DefaultSamplingPipeline, " + Chains[i].Name, () => pipeline.Sample(context, index)));
                operations.Add(("engine sampler, " + Chains[i].Name, () => sampler.Sample(context.GetLogitsIth(index), workspace, prefixesOf)));
            }

            operations.Add((LLamaSharpJson, () =>
            {
                using var pipeline = defaults.CreatePipeline(++jsonSeed, json);
                pipeline.Sample(context, index);
            }));
            var first = new int[3];
            long firstChecks = 0;
            operations.Add((EngineJson, () =>
            {
                var grammar = new GrammarConstraint(weights.NativeHandle, json);
                using var sampler = new SequenceSampler(SamplingSettings.Create(defaults.ToLlama4(++jsonSeed)), grammar);
                sampler.Sample(context.GetLogitsIth(index), workspace, prefixesOf);
                first[0]++;
                first[1] += sampler.Redraws;
                firstChecks += grammar.CandidatesChecked;
            }));
            var prefix = StringPrefix(weights, json, workspace);
            var inString = new int[3];
            long inStringChecks = 0;
            if (prefix is not null)
            {
                operations.Add((EngineJsonString, () =>
                {
                    var grammar = new GrammarConstraint(weights.NativeHandle, json);
                    foreach (var token in prefix)
                    {
                        grammar.Accept(token);
                    }

                    using var sampler = new SequenceSampler(SamplingSettings.Create(defaults.ToLlama4(++jsonSeed)), grammar);
                    sampler.Sample(context.GetLogitsIth(index), workspace, prefixesOf);
                    inString[0]++;
                    inString[1] += sampler.Redraws;
                    inStringChecks += grammar.CandidatesChecked;
                }));
            }
            else
            {
                await log.WriteLineAsync("  (the JSON grammar refused every prepared string prefix: the in-string row is skipped)");
            }

            var results = MicroBenchmark.MeasureAll(operations, settings, log);
            List<ConstrainedDrawStats> stats = [new(EngineJson, first[0], first[1], firstChecks)];
            if (prefix is not null)
            {
                stats.Add(new ConstrainedDrawStats(EngineJsonString, inString[0], inString[1], inStringChecks));
            }

            return (results, stats);
        }
        finally
        {
            foreach (var pipeline in pipelines)
            {
                pipeline.Dispose();
            }

            foreach (var sampler in samplers)
            {
                sampler.Dispose();
            }
        }
    }
}
