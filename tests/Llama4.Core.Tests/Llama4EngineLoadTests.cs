using Llama4.Core;
using Llama4.Testing;
using Llama4.TinyModel;

namespace Llama4.Core.Tests;

/// <summary>
/// Files that would abort llama.cpp natively or fail obscurely are refused by <see cref="Llama4Engine.LoadAsync"/> with
/// a typed exception before they reach native code; the process survives and a good model still loads afterwards.
/// </summary>
public sealed class Llama4EngineLoadTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llama4-engine-load-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    public static TheoryData<string, object?, Llama4ModelProblem> AbortingMetadata => new()
    {
        { "llama4.expert_count", 0u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.expert_used_count", 0u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.attention.sliding_window", 0u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.interleave_moe_layer_step", 0u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.block_count", null, Llama4ModelProblem.MissingMetadata },
        { "general.architecture", "llama", Llama4ModelProblem.UnsupportedArchitecture },
    };

    [Theory]
    [MemberData(nameof(AbortingMetadata))]
    public async Task LoadAsync_FileThatWouldAbortOrFail_ThrowsTypedExceptionAndProcessSurvives(string key, object? value, Llama4ModelProblem problem)
    {
        var path = TinyModelFiles.WriteTemporary(
            TinyModelOptions.Default with { MetadataOverrides = new Dictionary<string, object?> { [key] = value } },
            _directory);

        var ex = await Assert.ThrowsAsync<Llama4ModelValidationException>(() => Llama4Engine.LoadAsync(EngineFixture.CreateOptions(path), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(problem, ex.Problem);
        Assert.Equal(path, ex.ModelPath);
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        await AssertGoodModelStillServesAsync();
    }

    [Fact]
    public async Task LoadAsync_MissingFile_ThrowsFileNotFoundProblem()
    {
        var path = Path.Combine(_directory, "nope.gguf");

        var ex = await Assert.ThrowsAsync<Llama4ModelValidationException>(() => Llama4Engine.LoadAsync(EngineFixture.CreateOptions(path), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(Llama4ModelProblem.FileNotFound, ex.Problem);
    }

    [Fact]
    public async Task LoadAsync_WrongMagic_ThrowsNotGguf()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "zip.gguf");
        await File.WriteAllBytesAsync(path, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8], TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<Llama4ModelValidationException>(() => Llama4Engine.LoadAsync(EngineFixture.CreateOptions(path), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(Llama4ModelProblem.NotGguf, ex.Problem);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public async Task LoadAsync_TruncatedFile_ThrowsTruncatedAndProcessSurvives(double keep)
    {
        Directory.CreateDirectory(_directory);
        var bytes = await File.ReadAllBytesAsync(TinyModelFiles.Default, TestContext.Current.CancellationToken);
        var path = Path.Combine(_directory, "truncated.gguf");
        await File.WriteAllBytesAsync(path, bytes.AsMemory(0, (int)(bytes.Length * keep)), TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<Llama4ModelValidationException>(() => Llama4Engine.LoadAsync(EngineFixture.CreateOptions(path), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(Llama4ModelProblem.Truncated, ex.Problem);
        await AssertGoodModelStillServesAsync();
    }

    [Fact]
    public async Task LoadAsync_ContextLargerThanTraining_IsClampedToTrainingContext()
    {
        var path = TinyModelFiles.WriteTemporary(TinyModelOptions.Default with { ContextLength = 4096 }, _directory);
        var options = EngineFixture.CreateOptions(path);
        options.ContextSize = 131072;

        await using var engine = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(4096, engine.ContextSize);
        Assert.Equal(4096, engine.Model.TrainingContextLength);
    }

    [Fact]
    public async Task LoadAsync_QuantizedKeyCacheThatDoesNotDivideTheHeads_ThrowsInsteadOfCrashingAtTheFirstDecode()
    {
        // Head size 16: a q8_0 block holds 32 values. llama.cpp refuses the context, LLamaSharp does not notice, and the
        // first request would crash the process.
        var path = TinyModelFiles.WriteTemporary(TinyModelOptions.Default with { HeadCount = 8, KvHeadCount = 2 }, _directory);
        var options = EngineFixture.CreateOptions(path);
        options.KeyCacheType = Llama4KvCacheType.Q8_0;
        options.FlashAttention = Llama4FlashAttentionMode.Enabled;

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(nameof(Llama4EngineOptions.KeyCacheType), ex.Message, StringComparison.Ordinal);
        Assert.Contains("head size (16)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_KvCacheLargerThanMemoryOnCpu_ThrowsInsufficientMemoryNamingTheFixes()
    {
        var path = TinyModelFiles.WriteTemporary(TinyModelOptions.Default with { ContextLength = 1 << 26 }, _directory);
        var options = EngineFixture.CreateOptions(path);
        options.ContextSize = 1 << 26;

        var ex = await Assert.ThrowsAsync<InsufficientMemoryException>(() => Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("ContextSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_QuantizedValueCacheWithFlashAttentionOff_ThrowsNamingBothOptions()
    {
        var options = EngineFixture.CreateOptions(TinyModelFiles.Default);
        options.ValueCacheType = Llama4KvCacheType.Q8_0;
        options.FlashAttention = Llama4FlashAttentionMode.Disabled;

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(nameof(Llama4EngineOptions.ValueCacheType), ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Llama4EngineOptions.FlashAttention), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_QuantizedKvCacheWithAutoFlashAttention_LoadsAndGenerates()
    {
        var options = EngineFixture.CreateOptions(TinyModelFiles.Default);
        options.ContextSize = 2048;
        options.KeyCacheType = Llama4KvCacheType.Q8_0;
        options.ValueCacheType = Llama4KvCacheType.Q8_0;

        await using var engine = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        var result = await GenerationResult.CollectAsync(engine, Prompts.Seeded(1, 4), TestContext.Current.CancellationToken);

        Assert.InRange(result.Usage.OutputTokens, 1, 4);
    }

    [Fact]
    public async Task LoadAsync_ExpertsOnCpuAndFullSwaCache_LoadsAndGenerates()
    {
        var options = EngineFixture.CreateOptions(TinyModelFiles.Default);
        options.ContextSize = 2048;
        options.ExpertsOnCpu = true;
        options.FullSizeSwaCache = true;
        options.MemoryMap = false;

        await using var engine = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        var result = await GenerationResult.CollectAsync(engine, Prompts.Seeded(2, 4), TestContext.Current.CancellationToken);

        Assert.InRange(result.Usage.OutputTokens, 1, 4);
    }

    private static async Task AssertGoodModelStillServesAsync()
    {
        var options = EngineFixture.CreateOptions(TinyModelFiles.Default);
        options.ContextSize = 1024;
        await using var engine = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        var result = await GenerationResult.CollectAsync(engine, Prompts.Seeded(1, 2), TestContext.Current.CancellationToken);
        Assert.InRange(result.Usage.OutputTokens, 1, 2);
    }
}
