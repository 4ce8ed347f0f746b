using System.Globalization;
using Llama4.Core;
using Llama4.Testing;
using Llama4.TinyModel;

namespace Llama4.Core.Tests.Memory;

/// <summary>
/// The estimate against what llama.cpp really allocates: each configuration loads a tiny model and compares the
/// estimate with the context, cache and buffer sizes llama.cpp logs. Cell counts must match exactly and byte sizes to
/// the two decimals of llama.cpp's MiB figures; the compute buffer, an approximation, within its documented bounds.
/// </summary>
[Collection(typeof(NativeLogGroup))]
public sealed class Llama4MemoryEstimatorEngineTests
{
    private const double Mebibyte = 1024 * 1024;

    // The documented accuracy of Llama4MemoryEstimate.ComputeBufferBytes: 0.81 to 1.25 times what llama.cpp allocates.
    private const double MinComputeRatio = 0.80;
    private const double MaxComputeRatio = 1.25;

    public static TheoryData<string, int, int, bool, bool, Llama4KvCacheType, Llama4KvCacheType, int, bool> Configurations => new()
    {
        // model, context, sequences, unified, full-size SWA, K type, V type, micro-batch, flash attention
        { "default", 4096, 1, true, false, Llama4KvCacheType.F16, Llama4KvCacheType.F16, 512, false },
        { "default", 20000, 3, true, false, Llama4KvCacheType.Q8_0, Llama4KvCacheType.Q4_0, 256, true },
        { "default", 20000, 3, false, false, Llama4KvCacheType.F16, Llama4KvCacheType.F16, 512, false },
        { "default", 50000, 2, false, false, Llama4KvCacheType.F16, Llama4KvCacheType.Q8_0, 100, true },
        { "default", 20000, 3, true, true, Llama4KvCacheType.F32, Llama4KvCacheType.BF16, 512, false },
        { "default", 40000, 1, true, false, Llama4KvCacheType.Q4_0, Llama4KvCacheType.Q4_0, 512, true },
        { "default", 40000, 4, true, true, Llama4KvCacheType.Q8_0, Llama4KvCacheType.F16, 512, false },
        { "default", 5121, 2, false, false, Llama4KvCacheType.F16, Llama4KvCacheType.F16, 512, false },
        { "default", 256, 3, false, false, Llama4KvCacheType.F16, Llama4KvCacheType.F16, 512, false },
        { "wide", 40000, 4, true, false, Llama4KvCacheType.F16, Llama4KvCacheType.Q8_0, 512, true },
        { "wide", 70000, 2, false, true, Llama4KvCacheType.BF16, Llama4KvCacheType.F16, 300, false },
        { "short", 10000, 2, true, false, Llama4KvCacheType.F16, Llama4KvCacheType.F16, 512, false },
        { "narrow", 6000, 2, true, false, Llama4KvCacheType.Q8_0, Llama4KvCacheType.F16, 512, false },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task Estimate_Configuration_MatchesWhatLlamaCppAllocates(
        string model,
        int contextSize,
        int sequences,
        bool unified,
        bool fullSizeSwa,
        Llama4KvCacheType keyType,
        Llama4KvCacheType valueType,
        int microBatch,
        bool flashAttention)
    {
        var options = EngineFixture.CreateOptions(TinyModelCache.GetOrCreate(Model(model)));
        options.ContextSize = contextSize;
        options.MaxParallelSequences = sequences;
        options.UnifiedKvCache = unified;
        options.FullSizeSwaCache = fullSizeSwa;
        options.KeyCacheType = keyType;
        options.ValueCacheType = valueType;
        options.MicroBatchSize = microBatch;
        options.FlashAttention = flashAttention ? Llama4FlashAttentionMode.Enabled : Llama4FlashAttentionMode.Disabled;
        var log = new NativeLogCapture();

        var estimate = Llama4MemoryEstimator.Estimate(options);
        await using (var engine = await Llama4Engine.LoadAsync(options, log, TestContext.Current.CancellationToken))
        {
            Assert.Equal(estimate, Llama4MemoryEstimator.Estimate(engine.Model, options));
        }

        Assert.Equal(flashAttention, estimate.FlashAttention);
        Assert.Equal(estimate.ContextSize, log.SingleInteger(@"llama_context: n_ctx\s+= (\d+)"));
        Assert.Equal(estimate.SequenceContextSize, log.SingleInteger(@"llama_context: n_ctx_seq\s+= (\d+)"));
        Assert.Equal(estimate.GlobalKvCache.Cells, log.SingleInteger(@"creating non-SWA KV cache, size = (\d+) cells"));
        Assert.Equal(estimate.ChunkedKvCache.Cells, log.SingleInteger(@"creating\s+SWA KV cache, size = (\d+) cells"));

        var caches = log.KvCacheLines();
        Assert.Equal(2, caches.Count);
        AssertCache(estimate.GlobalKvCache, caches[0], options);
        AssertCache(estimate.ChunkedKvCache, caches[1], options);
        var kvBuffers = log.Matches(@"CPU KV buffer size =\s*([\d.]+) MiB");
        Assert.Equal(2, kvBuffers.Count);
        AssertMiB(estimate.GlobalKvCache.Bytes, kvBuffers[0], "global KV buffer");
        AssertMiB(estimate.ChunkedKvCache.Bytes, kvBuffers[1], "chunked KV buffer");
        AssertMiB(estimate.WeightsBytes, Assert.Single(log.Matches(@"model buffer size =\s*([\d.]+) MiB")), "model buffer");
        AssertMiB(estimate.OutputBufferBytes, Assert.Single(log.Matches(@"output buffer size =\s*([\d.]+) MiB")), "output buffer");

        double computeMiB = double.Parse(Assert.Single(log.Matches(@"sched_reserve:\s+CPU compute buffer size =\s*([\d.]+) MiB")), CultureInfo.InvariantCulture);
        double ratio = estimate.ComputeBufferBytes / Mebibyte / computeMiB;
        Assert.True(
            ratio is >= MinComputeRatio and <= MaxComputeRatio,
            $"Compute buffer: estimated {estimate.ComputeBufferBytes / Mebibyte:F2} MiB, llama.cpp allocated {computeMiB:F2} MiB (ratio {ratio:F3}).");
    }

    private static TinyModelOptions Model(string name) => name switch
    {
        "default" => TinyModelOptions.Default,

        // 8 layers (2 global), head size 64, as many KV heads as query heads.
        "wide" => TinyModelOptions.Default with { LayerCount = 8, EmbeddingLength = 256, HeadCount = 4, KvHeadCount = 4 },

        // A training context below the requested one: the engine clamps to it.
        "short" => TinyModelOptions.Default with { ContextLength = 4096 },

        // Head size 16 with 2 KV heads: a quantized key row is one 32-value block (accepted without flash attention).
        "narrow" => TinyModelOptions.Default with { HeadCount = 8 },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown model."),
    };

    private static void AssertCache(Llama4KvCacheEstimate expected, KvCacheLine actual, Llama4EngineOptions options)
    {
        Assert.Equal(expected.Cells, actual.Cells);
        Assert.Equal(expected.LayerCount, actual.Layers);
        Assert.Equal(expected.Streams, actual.Streams);
        Assert.Equal(options.KeyCacheType.ToString().ToLowerInvariant(), actual.KeyType);
        Assert.Equal(options.ValueCacheType.ToString().ToLowerInvariant(), actual.ValueType);
        AssertMiB(expected.KeyBytes, actual.KeyMiB, "keys");
        AssertMiB(expected.ValueBytes, actual.ValueMiB, "values");
        AssertMiB(expected.Bytes, actual.TotalMiB, "cache");
    }

    private static void AssertMiB(long bytes, string logged, string what) =>
        AssertMiB(bytes, decimal.Parse(logged, CultureInfo.InvariantCulture), what);

    /// <summary>llama.cpp prints MiB with two decimals: the exact byte count must round to the printed value.</summary>
    private static void AssertMiB(long bytes, decimal logged, string what)
    {
        double mib = bytes / Mebibyte;
        Assert.True(
            Math.Abs(mib - (double)logged) <= 0.005 + 1e-9,
            string.Create(CultureInfo.InvariantCulture, $"{what}: estimated {bytes} bytes ({mib:F4} MiB), llama.cpp logged {logged} MiB."));
    }
}
