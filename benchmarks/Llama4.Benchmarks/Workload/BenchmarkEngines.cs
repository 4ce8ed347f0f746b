using Llama4.Benchmarks.Cli;
using Llama4.Core;

namespace Llama4.Benchmarks.Workload;

/// <summary>The engine settings every suite loads its engines with, so that their numbers describe the same engine.</summary>
internal static class BenchmarkEngines
{
    /// <summary>llama.cpp threads: <c>--threads</c>, or LLamaSharp's default of half the logical cores.</summary>
    public static int Threads(BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Threads ?? Math.Max(Environment.ProcessorCount / 2, 1);
    }

    /// <summary>
    /// Options of a CPU engine with <see cref="ModelBenchmark.MaxParallelSequences"/> sequences, for the throughput and
    /// constrained suites. KV-cache reuse is off: those suites repeat one identical request against raw LLamaSharp loops
    /// and <c>AsChatClient()</c>, which process every prompt in full, and their targets measure what the wrapper costs
    /// per request. With reuse on, the engine would serve all but the last prompt token from the previous round's cache
    /// (16 concurrent copies would even share one prefix), and the ratios would mix that saving into the overhead. The
    /// context suite measures reuse on its own.
    /// </summary>
    public static Llama4EngineOptions Options(string modelPath, BenchmarkOptions options, int threads, Llama4FlashAttentionMode flashAttention, int batchThreads)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Llama4EngineOptions
        {
            ModelPath = modelPath,
            ContextSize = options.ContextSize,
            MaxParallelSequences = ModelBenchmark.MaxParallelSequences,
            Backend = Llama4Backend.Cpu,
            FlashAttention = flashAttention,
            Threads = threads,
            BatchThreads = batchThreads,
            ReuseKvCache = false,
        };
    }

    /// <summary>
    /// Options of a CPU engine for the context suite: the engine's defaults (unified KV cache, 8 sequences, small SWA cache,
    /// F16 K/V) except the threads, flash attention and KV-cache reuse, which the suite varies.
    /// </summary>
    public static Llama4EngineOptions ContextOptions(string modelPath, int contextSize, int threads, Llama4FlashAttentionMode flashAttention, bool reuseKvCache) => new()
    {
        ModelPath = modelPath,
        ContextSize = contextSize,
        Backend = Llama4Backend.Cpu,
        FlashAttention = flashAttention,
        Threads = threads,
        BatchThreads = threads,
        ReuseKvCache = reuseKvCache,
    };
}
