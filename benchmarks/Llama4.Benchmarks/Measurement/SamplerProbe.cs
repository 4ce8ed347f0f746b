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

    public static async Task<IReadOnlyList<MicroResult>> RunAsync(
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
        var firstBytes = TokenFirstBytes.Build(weights.NativeHandle, vocabulary);
        Func<TokenFirstBytes> firstBytesOf = () => firstBytes;
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
                operations.Add(("engine sampler, " + Chains[i].Name, () => sampler.Sample(context.GetLogitsIth(index), workspace, firstBytesOf)));
            }

            operations.Add((LLamaSharpJson, () =>
            {
                using var pipeline = defaults.CreatePipeline(++jsonSeed, json);
                pipeline.Sample(context, index);
            }));
            operations.Add((EngineJson, () =>
            {
                using var sampler = new SequenceSampler(SamplingSettings.Create(defaults.ToLlama4(++jsonSeed)), new GrammarConstraint(weights.NativeHandle, json));
                sampler.Sample(context.GetLogitsIth(index), workspace, firstBytesOf);
            }));
            return MicroBenchmark.MeasureAll(operations, settings, log);
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
