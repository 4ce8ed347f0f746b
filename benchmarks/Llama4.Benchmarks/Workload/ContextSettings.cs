using Llama4.Core;
using LLama.Common;
using LLama.Native;

namespace Llama4.Benchmarks.Workload;

/// <summary>
/// llama.cpp context parameters for the raw LLamaSharp contenders, copied from what <see cref="Llama4Engine.LoadAsync"/>
/// builds from the engine's options: same context size, batch sizes, threads, flash attention, KV types and SWA cache.
/// </summary>
internal static class ContextSettings
{
    /// <summary>Parameters of one <c>BatchedExecutor</c> shaped like the engine's context (same sequence count).</summary>
    /// <param name="engine">The engine whose context to copy.</param>
    /// <param name="flashAttention">What the engine's flash-attention mode resolved to.</param>
    /// <param name="unifiedKvCache">
    /// True (the engine's setting): one KV buffer shared by all sequences, so every token's attention runs over the
    /// cells of ALL live sequences (masked). False: one stream of ContextSize / SeqMax cells per sequence.
    /// </param>
    public static ModelParams LikeEngine(Llama4Engine engine, bool flashAttention, bool unifiedKvCache = true)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var options = engine.Options;
        return new ModelParams(engine.Model.Path)
        {
            ContextSize = checked((uint)engine.ContextSize),
            SeqMax = checked((uint)engine.MaxParallelSequences),
            BatchSize = checked((uint)options.BatchSize),
            UBatchSize = checked((uint)options.MicroBatchSize),
            Threads = options.Threads,
            BatchThreads = options.BatchThreads ?? options.Threads,
            GpuLayerCount = options.GpuLayerCount ?? 0,
            FlashAttention = flashAttention,
            TypeK = GGMLType.GGML_TYPE_F16,
            TypeV = GGMLType.GGML_TYPE_F16,
            SwaFull = options.FullSizeSwaCache,
            KVUnified = unifiedKvCache,
            LoadMode = options.MemoryMap ? LLamaLoadMode.MemoryMap : LLamaLoadMode.None,
        };
    }

    /// <summary>A single-sequence context of <paramref name="contextSize"/> cells, as a user of <c>StatelessExecutor</c> would size it.</summary>
    public static ModelParams SingleSequence(Llama4Engine engine, bool flashAttention, int contextSize)
    {
        var parameters = LikeEngine(engine, flashAttention);
        parameters.SeqMax = 1;
        parameters.ContextSize = checked((uint)contextSize);
        return parameters;
    }
}
