using System.Diagnostics;
using System.Globalization;
using Llama4.Benchmarks.Subjects;
using Llama4.Benchmarks.Workload;
using Llama4.Core;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;

namespace Llama4.Benchmarks.Measurement;

/// <summary>
/// Splits a constrained generation's time per token into decode and sampling: one raw <see cref="BatchedExecutor"/> with
/// the engine's context settings, one sequence at a time, and the sampler the engine builds
/// (what the engine's <c>CreatePipeline</c> built before the engine had its own sampler: <see cref="DefaultSamplingPipeline"/> with the workload's values, the grammar,
/// GrammarOptimization Extended) wrapped in <see cref="InstrumentedSamplingPipeline"/>. Every round runs each variant
/// once with the same seed (round r uses seed 42 + r), in an order rotated by one per round.
/// </summary>
internal static class SamplingProbe
{
    public static async Task<IReadOnlyList<SamplingProbeResult>> RunAsync(
        LLamaWeights weights,
        ModelParams contextParams,
        BenchmarkSampling sampling,
        int maxOutputTokens,
        IReadOnlyList<SamplingVariant> variants,
        int warmupRounds,
        int rounds,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(log);
        using var executor = new BatchedExecutor(weights, contextParams);
        var endOfGeneration = new EndOfGeneration(weights);
        var controlMask = ControlTokenMask(weights, endOfGeneration);
        var runs = variants.ToDictionary(v => v, _ => new List<ProbeRun>());
        for (var round = 0; round < warmupRounds + rounds; round++)
        {
            var warmup = round < warmupRounds;
            var seed = BenchmarkWorkload.BaseSeed + (warmup ? 0 : round - warmupRounds);
            for (var i = 0; i < variants.Count; i++)
            {
                var variant = variants[(i + round) % variants.Count];
                var run = await GenerateAsync(executor, endOfGeneration, variant, variant.MaskControlTokens ? controlMask : null, sampling, seed, maxOutputTokens, cancellationToken);
                await log.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {(warmup ? "warm-up" : "round  ")} {round + 1,2}  {variant.Name,-58} {run.Tokens.Count,4} tok  sample {run.SampleMicroseconds.Skip(1).DefaultIfEmpty().Average(),8:F1} µs/tok  fallbacks {run.Fallbacks,4}"));
                if (!warmup)
                {
                    runs[variant].Add(run);
                }
            }
        }

        return [.. variants.Select(v => new SamplingProbeResult(
            v,
            [.. runs[v].SelectMany(r => r.SampleMicroseconds.Skip(1))],
            [.. runs[v].Where(r => r.SampleMicroseconds.Count > 0).Select(r => r.SampleMicroseconds[0])],
            [.. runs[v].SelectMany(r => r.DecodeMicroseconds)],
            [.. runs[v].SelectMany(r => r.Later(fellBack: false))],
            [.. runs[v].SelectMany(r => r.Later(fellBack: true))],
            runs[v].Sum(r => r.Fallbacks),
            [.. runs[v].Select(r => r.Tokens.Count)],
            [.. runs[v].SelectMany(r => r.Tokens)]))];
    }

    private static async Task<ProbeRun> GenerateAsync(
        BatchedExecutor executor,
        EndOfGeneration endOfGeneration,
        SamplingVariant variant,
        IReadOnlyDictionary<LLamaToken, float>? logitBias,
        BenchmarkSampling sampling,
        long seed,
        int maxOutputTokens,
        CancellationToken cancellationToken)
    {
        using var pipeline = CreatePipeline(sampling, variant.Grammar, variant.Mode, variant.TopK, seed, logitBias);
        using var conversation = executor.Create();
        conversation.Prompt(variant.PromptTokens.AsSpan());
        var decode = new List<double>(maxOutputTokens);
        var tokens = new List<int>(maxOutputTokens);
        var prompt = true;
        while (true)
        {
            // A prompt longer than the batch size takes several Infer calls, as in the engine.
            while (conversation.RequiresInference)
            {
                var start = Stopwatch.GetTimestamp();
                var result = await executor.Infer(cancellationToken);
                if (result != DecodeResult.Ok)
                {
                    throw new InvalidOperationException($"The sampling probe's decode failed: {result}.");
                }

                if (!prompt)
                {
                    decode.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
            }

            prompt = false;

            var token = conversation.Sample(pipeline);
            tokens.Add((int)token);
            if (endOfGeneration.IsEnd(token) || tokens.Count >= maxOutputTokens)
            {
                break;
            }

            conversation.Prompt(token);
        }

        return new ProbeRun([.. pipeline.SampleMicroseconds], [.. pipeline.FellBack], decode, pipeline.Fallbacks, tokens);
    }

    /// <summary>The sampler the engine built before it had its own, instrumented; everything it leaves unset keeps LLamaSharp's defaults here too.</summary>
    public static InstrumentedSamplingPipeline CreatePipeline(
        BenchmarkSampling sampling,
        Llama4Grammar? grammar,
        DefaultSamplingPipeline.GrammarOptimizationMode mode,
        int? topK,
        long seed,
        IReadOnlyDictionary<LLamaToken, float>? logitBias = null)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        return new InstrumentedSamplingPipeline
        {
            LogitBias = logitBias ?? new Dictionary<LLamaToken, float>(),
            Grammar = grammar is null ? null : new Grammar(grammar.Gbnf, grammar.Root),
            GrammarOptimization = mode,
            Temperature = sampling.Temperature,
            TopP = sampling.TopP,
            TopK = topK ?? sampling.TopK,
            MinP = sampling.MinP,
            RepeatPenalty = sampling.RepeatPenalty,
            FrequencyPenalty = sampling.FrequencyPenalty,
            PresencePenalty = sampling.PresencePenalty,
            PenaltyCount = sampling.PenaltyLastTokens,
            Seed = BenchmarkSampling.ToNativeSeed(seed),
        };
    }

    /// <summary>Minus infinity for every control token that does not end the generation (a JSON grammar never needs one).</summary>
    private static Dictionary<LLamaToken, float> ControlTokenMask(LLamaWeights weights, EndOfGeneration endOfGeneration)
    {
        var mask = new Dictionary<LLamaToken, float>();
        for (var id = 0; id < weights.Vocab.Count; id++)
        {
            var token = (LLamaToken)id;
            if (token.IsControl(weights.Vocab) && !endOfGeneration.IsEnd(token))
            {
                mask[token] = float.NegativeInfinity;
            }
        }

        return mask;
    }

    private sealed record ProbeRun(IReadOnlyList<double> SampleMicroseconds, IReadOnlyList<bool> FellBack, IReadOnlyList<double> DecodeMicroseconds, int Fallbacks, IReadOnlyList<int> Tokens)
    {
        /// <summary>The samples after the first (which also creates the native chains), split by whether they fell back.</summary>
        public IEnumerable<double> Later(bool fellBack) => SampleMicroseconds.Skip(1).Where((_, i) => FellBack[i + 1] == fellBack);
    }
}
