using System.Diagnostics;
using System.Globalization;
using Llama4.Benchmarks.Subjects;
using Llama4.Benchmarks.Workload;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;

namespace Llama4.Benchmarks.Measurement;

/// <summary>
/// The engine's loop in miniature, to size one change to it: N sequences on one raw <see cref="BatchedExecutor"/> with the
/// engine's context settings and samplers, decoded together; after each decode every live sequence is sampled either
/// one after another on the loop's thread (what <c>Llama4Engine.RunLoopAsync</c> did before the engine had its own sampler) or across the cores with
/// <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>. Feeding the tokens back stays on the loop's thread
/// either way. Each sequence has its own sampler, so only the native context is shared: the first sample of a step runs
/// alone (llama.cpp's <c>llama_get_logits_ith</c> may reorder the outputs of the last decode on first use), the others read
/// their own rows of logits.
/// </summary>
internal static class BatchSamplingProbe
{
    public static async Task<IReadOnlyList<BatchSamplingResult>> RunAsync(
        LLamaWeights weights,
        ModelParams contextParams,
        BenchmarkSampling sampling,
        int maxOutputTokens,
        LLamaToken[] prompt,
        int sequences,
        IReadOnlyList<BatchSamplingVariant> variants,
        int warmupRounds,
        int rounds,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(log);
        using var executor = new BatchedExecutor(weights, contextParams);
        var endOfGeneration = new EndOfGeneration(weights);
        var runs = variants.ToDictionary(v => v, _ => new List<BatchRun>());
        for (var round = 0; round < warmupRounds + rounds; round++)
        {
            var warmup = round < warmupRounds;
            for (var i = 0; i < variants.Count; i++)
            {
                var variant = variants[(i + round) % variants.Count];
                var run = await RunOnceAsync(executor, endOfGeneration, variant, sampling, maxOutputTokens, prompt, sequences, cancellationToken);
                await log.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {(warmup ? "warm-up" : "round  ")} {round + 1,2}  {variant.Name,-58} {run.OutputTokens,5} tok  {run.OutputTokens / run.Wall.TotalSeconds,8:F1} tok/s  sampling {run.Sampling.TotalMilliseconds / Math.Max(1, run.Steps),6:F2} ms/step"));
                if (!warmup)
                {
                    runs[variant].Add(run);
                }
            }
        }

        return [.. variants.Select(v => new BatchSamplingResult(
            v,
            Summary.Of(runs[v].Select(r => r.OutputTokens / r.Wall.TotalSeconds)),
            Summary.Of(runs[v].Select(r => r.Sampling.TotalMilliseconds / Math.Max(1, r.Steps))),
            Summary.Of(runs[v].Where(r => r.DecodeSteps > 0).Select(r => r.Decode.TotalMilliseconds / r.DecodeSteps)),
            Summary.Of(runs[v].Select(r => (double)r.OutputTokens))))];
    }

    private static async Task<BatchRun> RunOnceAsync(
        BatchedExecutor executor,
        EndOfGeneration endOfGeneration,
        BatchSamplingVariant variant,
        BenchmarkSampling sampling,
        int maxOutputTokens,
        LLamaToken[] prompt,
        int sequences,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var conversations = new Conversation[sequences];
        var pipelines = new DefaultSamplingPipeline[sequences];
        var produced = new int[sequences];
        var tokens = new LLamaToken[sequences];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        TimeSpan samplingTime = TimeSpan.Zero, decodeTime = TimeSpan.Zero;
        int steps = 0, decodeSteps = 0;
        try
        {
            for (var i = 0; i < sequences; i++)
            {
                pipelines[i] = SamplingProbe.CreatePipeline(sampling, variant.Grammar, DefaultSamplingPipeline.GrammarOptimizationMode.Extended, topK: null, BenchmarkWorkload.SeedFor(i));
                conversations[i] = executor.Create();
                conversations[i].Prompt(prompt.AsSpan());
            }

            // As in the engine's loop: one decode, then every sequence that has logits is sampled and fed back. The
            // prompts (sequences x prompt tokens) take several decodes; steps count once every sequence is generating.
            var live = new List<int>(Enumerable.Range(0, sequences));
            var ready = new List<int>(sequences);
            while (live.Count > 0)
            {
                var generating = live.TrueForAll(i => produced[i] > 0);
                if (executor.BatchedTokenCount > 0)
                {
                    var decodeStart = Stopwatch.GetTimestamp();
                    var result = await executor.Infer(cancellationToken);
                    if (result != DecodeResult.Ok)
                    {
                        throw new InvalidOperationException($"The batch sampling probe's decode failed: {result}.");
                    }

                    if (generating)
                    {
                        decodeTime += Stopwatch.GetElapsedTime(decodeStart);
                        decodeSteps++;
                    }
                }

                ready.Clear();
                ready.AddRange(live.Where(i => conversations[i].RequiresSampling));
                if (ready.Count == 0)
                {
                    continue;
                }

                var sampleStart = Stopwatch.GetTimestamp();
                tokens[ready[0]] = conversations[ready[0]].Sample(pipelines[ready[0]]);
                if (variant.Parallel)
                {
                    Parallel.For(1, ready.Count, parallel, k => tokens[ready[k]] = conversations[ready[k]].Sample(pipelines[ready[k]]));
                }
                else
                {
                    for (var k = 1; k < ready.Count; k++)
                    {
                        tokens[ready[k]] = conversations[ready[k]].Sample(pipelines[ready[k]]);
                    }
                }

                if (generating)
                {
                    samplingTime += Stopwatch.GetElapsedTime(sampleStart);
                    steps++;
                }

                foreach (var i in ready)
                {
                    produced[i]++;
                    if (endOfGeneration.IsEnd(tokens[i]) || produced[i] >= maxOutputTokens)
                    {
                        live.Remove(i);
                    }
                    else
                    {
                        conversations[i].Prompt(tokens[i]);
                    }
                }
            }

            return new BatchRun(produced.Sum(), Stopwatch.GetElapsedTime(started), samplingTime, steps, decodeTime, decodeSteps);
        }
        finally
        {
            foreach (var conversation in conversations)
            {
                conversation?.Dispose();
            }

            foreach (var pipeline in pipelines)
            {
                pipeline?.Dispose();
            }
        }
    }

    private sealed record BatchRun(int OutputTokens, TimeSpan Wall, TimeSpan Sampling, int Steps, TimeSpan Decode, int DecodeSteps);
}
