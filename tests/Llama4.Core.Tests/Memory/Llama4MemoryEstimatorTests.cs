using Llama4.Core;
using Llama4.Testing;
using Llama4.TinyModel;

namespace Llama4.Core.Tests.Memory;

/// <summary>The estimate's arithmetic and input checks, on Scout's published shape and on tiny files (no engine).</summary>
public sealed class Llama4MemoryEstimatorTests
{
    private const long KiB = 1024;

    private static Llama4ModelInfo Scout => ReferenceModel.Scout.ToModelInfo(60L << 30);

    [Fact]
    public void Estimate_NullArguments_ThrowArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => Llama4MemoryEstimator.Estimate(null!));
        Assert.Throws<ArgumentNullException>(() => Llama4MemoryEstimator.Estimate(null!, new Llama4EngineOptions()));
        Assert.Throws<ArgumentNullException>(() => Llama4MemoryEstimator.Estimate(Scout, null!));
    }

    [Fact]
    public void Estimate_InvalidOptions_ThrowsNamingEachSetting()
    {
        var options = new Llama4EngineOptions { ContextSize = 0, BatchSize = 256, MicroBatchSize = 512 };

        var ex = Assert.Throws<ArgumentException>(() => Llama4MemoryEstimator.Estimate(Scout, options));

        Assert.Equal("options", ex.ParamName);
        Assert.Contains("ContextSize is 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MicroBatchSize is 512", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ModelPath", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_QuantizedValueCacheWithFlashAttentionDisabled_ThrowsLikeTheEngine()
    {
        var options = new Llama4EngineOptions { ValueCacheType = Llama4KvCacheType.Q4_0, FlashAttention = Llama4FlashAttentionMode.Disabled };

        var ex = Assert.Throws<ArgumentException>(() => Llama4MemoryEstimator.Estimate(Scout, options));

        Assert.Contains("ValueCacheType Q4_0 needs flash attention", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_UndefinedCacheType_Throws()
    {
        var options = new Llama4EngineOptions { KeyCacheType = (Llama4KvCacheType)42 };

        var ex = Assert.Throws<ArgumentException>(() => Llama4MemoryEstimator.Estimate(Scout, options));

        Assert.Contains("KeyCacheType 42 is not a known cache type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_QuantizedKeysWithFlashAttentionOnHeadSizeNotAMultipleOfTheBlock_ThrowsBeforeLlamaCppRefusesIt()
    {
        // Head size 16: with flash attention llama.cpp refuses a Q8_0 key cache ("block size 32 does not divide
        // n_embd_head_k") without LLamaSharp noticing, and the first request then crashes the process.
        var options = EngineFixture.CreateOptions(TinyModelCache.GetOrCreate(TinyModelOptions.Default with { HeadCount = 8 }));
        options.KeyCacheType = Llama4KvCacheType.Q8_0;
        options.FlashAttention = Llama4FlashAttentionMode.Enabled;

        var ex = Assert.Throws<ArgumentException>(() => Llama4MemoryEstimator.Estimate(options));

        Assert.Contains("KeyCacheType Q8_0 stores blocks of 32 values, which do not divide the model's key head size (16)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_QuantizedKeysWithoutFlashAttention_NeedWholeBlocksPerRowOnly()
    {
        // Head size 16 x 2 KV heads = rows of 32 values: llama.cpp accepts a Q8_0 key cache without flash attention.
        var options = EngineFixture.CreateOptions(TinyModelCache.GetOrCreate(TinyModelOptions.Default with { HeadCount = 8 }));
        options.KeyCacheType = Llama4KvCacheType.Q8_0;
        options.FlashAttention = Llama4FlashAttentionMode.Disabled;

        var estimate = Llama4MemoryEstimator.Estimate(options);

        Assert.Equal(34 + (32 * 2), estimate.GlobalKvCache.BytesPerToken);
    }

    [Fact]
    public void Estimate_MissingModelFile_ThrowsModelValidationException()
    {
        var options = new Llama4EngineOptions { ModelPath = Path.Combine(Path.GetTempPath(), "no-such-llama4-model.gguf") };

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4MemoryEstimator.Estimate(options));

        Assert.Equal(Llama4ModelProblem.FileNotFound, ex.Problem);
    }

    [Fact]
    public void Estimate_PathOverloadWithoutPath_ThrowsNamingModelPath()
    {
        var ex = Assert.Throws<ArgumentException>(() => Llama4MemoryEstimator.Estimate(new Llama4EngineOptions()));

        Assert.Contains("ModelPath is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_ImpossibleModel_ThrowsNamingTheModel()
    {
        var ex = Assert.Throws<ArgumentException>(() => Llama4MemoryEstimator.Estimate(new Llama4ModelInfo { Name = "empty" }, new Llama4EngineOptions()));

        Assert.Equal("model", ex.ParamName);
        Assert.Contains("'empty' has an impossible shape", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_ScoutInF16_CostsFourKiBPerTokenPerLayer()
    {
        var estimate = Llama4MemoryEstimator.Estimate(Scout, new Llama4EngineOptions { ContextSize = 131072, MaxParallelSequences = 1 });

        Assert.Equal(12, estimate.GlobalKvCache.LayerCount);
        Assert.Equal(36, estimate.ChunkedKvCache.LayerCount);
        Assert.Equal(12 * 4 * KiB, estimate.GlobalKvCache.BytesPerToken);
        Assert.Equal(36 * 4 * KiB, estimate.ChunkedKvCache.BytesPerToken);
        Assert.Equal(131072 * 12 * 4 * KiB, estimate.GlobalKvCache.Bytes);
        Assert.Equal(estimate.GlobalKvCache.Bytes / 2, estimate.GlobalKvCache.KeyBytes);
        Assert.Equal(8704 * 36 * 4 * KiB, estimate.ChunkedKvCache.Bytes);
    }

    [Theory]
    [InlineData(Llama4KvCacheType.F32, 4096)]
    [InlineData(Llama4KvCacheType.F16, 2048)]
    [InlineData(Llama4KvCacheType.BF16, 2048)]
    [InlineData(Llama4KvCacheType.Q8_0, 1088)]
    [InlineData(Llama4KvCacheType.Q4_0, 576)]
    public void Estimate_CacheType_UsesGgmlBlockLayout(Llama4KvCacheType type, long bytesPerLayerRow)
    {
        // One layer's row: 8 KV heads x 128 values; Q8_0 stores 32 values in 34 bytes, Q4_0 in 18.
        var options = new Llama4EngineOptions { KeyCacheType = type, ValueCacheType = Llama4KvCacheType.F16, FlashAttention = Llama4FlashAttentionMode.Enabled };

        var estimate = Llama4MemoryEstimator.Estimate(Scout, options);

        Assert.Equal(12 * (bytesPerLayerRow + 2048), estimate.GlobalKvCache.BytesPerToken);
        Assert.Equal(12 * bytesPerLayerRow * estimate.GlobalKvCache.Cells, estimate.GlobalKvCache.KeyBytes);
    }

    [Theory]
    [InlineData(131072, 1, false, 8704)]
    [InlineData(131072, 8, false, 66048)]
    [InlineData(1048576, 8, false, 66048)]
    [InlineData(131072, 8, true, 131072)]
    [InlineData(4000, 8, false, 4096)]
    public void Estimate_ChunkedCache_HoldsAChunkPerSequencePlusAMicroBatchUnlessFullSize(int context, int sequences, bool fullSize, int expectedCells)
    {
        var options = new Llama4EngineOptions { ContextSize = context, MaxParallelSequences = sequences, FullSizeSwaCache = fullSize };

        var estimate = Llama4MemoryEstimator.Estimate(Scout, options);

        Assert.Equal(expectedCells, estimate.ChunkedKvCache.Cells);
        Assert.Equal(estimate.ContextSize, estimate.GlobalKvCache.Cells);
        Assert.Equal(1, estimate.ChunkedKvCache.Streams);
    }

    [Fact]
    public void Estimate_OneStreamPerSequence_GivesEachSequenceAPaddedShare()
    {
        var options = new Llama4EngineOptions { ContextSize = 20000, MaxParallelSequences = 3, UnifiedKvCache = false };

        var estimate = Llama4MemoryEstimator.Estimate(Scout, options);

        Assert.Equal(20736, estimate.ContextSize);
        Assert.Equal(6912, estimate.SequenceContextSize);
        Assert.Equal(6912, estimate.GlobalKvCache.Cells);
        Assert.Equal(3, estimate.GlobalKvCache.Streams);
        Assert.Equal(6912, estimate.ChunkedKvCache.Cells);
        Assert.Equal(3L * 6912 * 12 * 4 * KiB, estimate.GlobalKvCache.Bytes);
    }

    [Fact]
    public void Estimate_ContextAboveTrainingContext_IsClampedLikeTheEngine()
    {
        var maverick = ReferenceModel.Maverick.ToModelInfo(0);

        var estimate = Llama4MemoryEstimator.Estimate(maverick, new Llama4EngineOptions { ContextSize = 4_000_000 });

        Assert.Equal(1_048_576, estimate.ContextSize);
    }

    [Fact]
    public void Estimate_ContextBeyondWhatLlamaCppAddresses_ThrowsNamingContextSize()
    {
        var model = ReferenceModel.Scout.ToModelInfo(0, trainingContext: int.MaxValue);

        var ex = Assert.Throws<ArgumentException>(() => Llama4MemoryEstimator.Estimate(model, new Llama4EngineOptions { ContextSize = int.MaxValue }));

        Assert.Contains("lower ContextSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_ContextSize_IsPaddedTo256()
    {
        var estimate = Llama4MemoryEstimator.Estimate(Scout, new Llama4EngineOptions { ContextSize = 1000 });

        Assert.Equal(1024, estimate.ContextSize);
        Assert.Equal(1024, estimate.SequenceContextSize);
    }

    [Theory]
    [InlineData(Llama4FlashAttentionMode.Auto, Llama4Backend.Cpu, null, Llama4KvCacheType.F16, false)]
    [InlineData(Llama4FlashAttentionMode.Auto, Llama4Backend.Auto, null, Llama4KvCacheType.F16, false)]
    [InlineData(Llama4FlashAttentionMode.Auto, Llama4Backend.Auto, null, Llama4KvCacheType.Q8_0, true)]
    [InlineData(Llama4FlashAttentionMode.Auto, Llama4Backend.Cuda, null, Llama4KvCacheType.F16, true)]
    [InlineData(Llama4FlashAttentionMode.Auto, Llama4Backend.Cuda, 0, Llama4KvCacheType.F16, false)]
    [InlineData(Llama4FlashAttentionMode.Enabled, Llama4Backend.Cpu, null, Llama4KvCacheType.F16, true)]
    [InlineData(Llama4FlashAttentionMode.Disabled, Llama4Backend.Cuda, null, Llama4KvCacheType.F16, false)]
    public void Estimate_FlashAttention_ResolvesLikeTheEngine(Llama4FlashAttentionMode mode, Llama4Backend backend, int? gpuLayers, Llama4KvCacheType valueType, bool expected)
    {
        var options = new Llama4EngineOptions { FlashAttention = mode, Backend = backend, GpuLayerCount = gpuLayers, ValueCacheType = valueType };

        Assert.Equal(expected, Llama4MemoryEstimator.Estimate(Scout, options).FlashAttention);
    }

    [Fact]
    public void Estimate_FlashAttentionOff_AddsTheAttentionScoresOfTheWholeContext()
    {
        var on = Llama4MemoryEstimator.Estimate(Scout, new Llama4EngineOptions { FlashAttention = Llama4FlashAttentionMode.Enabled });
        var off = Llama4MemoryEstimator.Estimate(Scout, new Llama4EngineOptions { FlashAttention = Llama4FlashAttentionMode.Disabled });

        // 512 tokens x 40 heads x 131072 cells of F32 scores: 10 GiB, where flash attention needs under 1 GiB in all.
        Assert.True(off.ComputeBufferBytes > 512L * 40 * 131072 * 4);
        Assert.True(on.ComputeBufferBytes < 1L << 30);
        Assert.Equal(on.KvCacheBytes, off.KvCacheBytes);
    }

    [Fact]
    public void Estimate_Totals_AddUpTheParts()
    {
        var estimate = Llama4MemoryEstimator.Estimate(Scout, new Llama4EngineOptions { MaxParallelSequences = 8 });

        Assert.Equal(60L << 30, estimate.WeightsBytes);
        Assert.Equal(4L * 202048 * 8, estimate.OutputBufferBytes);
        Assert.Equal(estimate.GlobalKvCache.Bytes + estimate.ChunkedKvCache.Bytes, estimate.KvCacheBytes);
        Assert.Equal(estimate.WeightsBytes + estimate.KvCacheBytes + estimate.ComputeBufferBytes + estimate.OutputBufferBytes, estimate.TotalBytes);
    }

    [Fact]
    public void Estimate_GpuLayersAndExpertPlacement_DoNotChangeTheTotals()
    {
        var cpu = Llama4MemoryEstimator.Estimate(Scout, new Llama4EngineOptions { FlashAttention = Llama4FlashAttentionMode.Enabled });
        var gpu = Llama4MemoryEstimator.Estimate(Scout, new Llama4EngineOptions { FlashAttention = Llama4FlashAttentionMode.Enabled, GpuLayerCount = 20, ExpertsOnCpu = true });

        Assert.Equal(cpu, gpu);
    }
}
