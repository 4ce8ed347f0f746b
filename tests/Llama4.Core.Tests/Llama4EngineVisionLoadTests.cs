using Llama4.Core;
using Llama4.Testing;
using Llama4.TinyModel;

namespace Llama4.Core.Tests;

/// <summary>Loading with a vision projector, and images sent to an engine without one.</summary>
public sealed class Llama4EngineVisionLoadTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task GenerateAsync_ImageWithoutProjector_ThrowsNoProjectorNamingTheOptionAndKeepsServing()
    {
        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "See?") { Images = [new Llama4Image(TestImages.Gif1x1)] }]);

        var error = Assert.Throws<Llama4ImageException>(() => fixture.Engine.GenerateAsync(new Llama4GenerationRequest(prompt), TestContext.Current.CancellationToken));

        Assert.Equal(Llama4ImageProblem.NoProjector, error.Problem);
        Assert.Contains("ProjectorPath", error.Message, StringComparison.Ordinal);
        Assert.False(fixture.Engine.SupportsImages);
        Assert.Equal(0, fixture.Engine.ImageTokensPerTile);
        var next = await GenerationResult.CollectAsync(fixture.Engine, Prompts.Seeded(seed: 1, maxOutputTokens: 3), TestContext.Current.CancellationToken);
        Assert.InRange(next.Usage.OutputTokens, 1, 3);
    }

    [Fact]
    public async Task LoadAsync_ProjectorForAnotherModelWidth_ThrowsProjectorMismatch()
    {
        var options = EngineFixture.CreateOptions(fixture.ModelPath);
        options.ProjectorPath = TinyModelCache.GetOrCreateProjector(TinyProjectorOptions.Default with { TextEmbeddingLength = 256 });

        var error = await Assert.ThrowsAsync<Llama4ModelValidationException>(() => Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(Llama4ModelProblem.ProjectorMismatch, error.Problem);
        Assert.Contains("256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ProjectorWithoutClassEmbedding_IsRefusedBeforeMtmdSeesIt()
    {
        var options = EngineFixture.CreateOptions(fixture.ModelPath);
        options.ProjectorPath = TinyModelCache.GetOrCreateProjector(TinyProjectorOptions.Default with
        {
            TensorShapeOverrides = new Dictionary<string, long[]?> { ["v.class_embd"] = null },
        });

        var error = await Assert.ThrowsAsync<Llama4ModelValidationException>(() => Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(Llama4ModelProblem.InvalidTensor, error.Problem);
        Assert.Contains("v.class_embd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_TextModelAsProjector_ThrowsUnsupportedArchitecture()
    {
        var options = EngineFixture.CreateOptions(fixture.ModelPath);
        options.ProjectorPath = fixture.ModelPath;

        var error = await Assert.ThrowsAsync<Llama4ModelValidationException>(() => Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(Llama4ModelProblem.UnsupportedArchitecture, error.Problem);
    }

    [Fact]
    public async Task GenerateAsync_ImageOverMaxImageBytes_ThrowsTooLargeNamingTheOption()
    {
        var options = EngineFixture.CreateOptions(fixture.ModelPath);
        options.ProjectorPath = TinyModelCache.GetOrCreateProjector();
        options.MaxParallelSequences = 1;
        options.ContextSize = 512;
        options.MaxImageBytes = 64;
        await using var engine = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "See?") { Images = [new Llama4Image(TestImages.Png(16, 16))] }]);

        var error = Assert.Throws<Llama4ImageException>(() => engine.GenerateAsync(new Llama4GenerationRequest(prompt), TestContext.Current.CancellationToken));

        Assert.Equal(Llama4ImageProblem.TooLarge, error.Problem);
        Assert.Contains("MaxImageBytes", error.Message, StringComparison.Ordinal);
        var small = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "See?") { Images = [new Llama4Image(TestImages.Gif1x1)] }]);
        var result = await GenerationResult.CollectAsync(engine, new Llama4GenerationRequest(small) { MaxOutputTokens = 2 }, TestContext.Current.CancellationToken);
        Assert.Equal(4, result.Usage.ImageTokens);
    }

    [Fact]
    public async Task GenerateAsync_OneKvStreamPerSequence_EvaluatesAndReusesImages()
    {
        var options = EngineFixture.CreateOptions(fixture.ModelPath);
        options.ProjectorPath = TinyModelCache.GetOrCreateProjector();
        options.MaxParallelSequences = 2;
        options.ContextSize = 1024;
        options.UnifiedKvCache = false;
        await using var engine = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "Again?") { Images = [new Llama4Image(TestImages.Png(112, 56, seed: 8))] }]);
        var request = new Llama4GenerationRequest(prompt) { MaxOutputTokens = 2, Sampling = new Llama4SamplingOptions { Seed = 2 } };

        var first = await GenerationResult.CollectAsync(engine, request, TestContext.Current.CancellationToken);
        var second = await GenerationResult.CollectAsync(engine, request, TestContext.Current.CancellationToken);

        Assert.Equal(12, first.Usage.ImageTokens);
        Assert.Equal(0, first.Usage.CachedPromptTokens);
        Assert.Equal(second.Usage.PromptTokens - 1, second.Usage.CachedPromptTokens);
        Assert.Equal(0, engine.GetStatistics().RejectedReuses);
    }

    [Fact]
    public async Task LoadAsync_WithProjector_LogsItsPathAndTokensPerTile()
    {
        var log = new Memory.NativeLogCapture();
        var options = EngineFixture.CreateOptions(fixture.ModelPath);
        options.ProjectorPath = TinyModelCache.GetOrCreateProjector();
        options.MaxParallelSequences = 1;
        options.ContextSize = 256;

        await using var engine = await Llama4Engine.LoadAsync(options, log, TestContext.Current.CancellationToken);

        Assert.Contains(log.Lines, l => l.Contains("Loaded vision projector", StringComparison.Ordinal) && l.Contains(options.ProjectorPath, StringComparison.Ordinal) && l.Contains("4 tokens per image tile", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "ProjectorPath")]
    [InlineData(null, "MaxImageBytes")]
    public async Task LoadAsync_InvalidVisionOptions_NamesTheOption(string? projectorPath, string named)
    {
        var options = EngineFixture.CreateOptions(fixture.ModelPath);
        options.ProjectorPath = projectorPath;
        if (projectorPath is null)
        {
            options.MaxImageBytes = 0;
        }

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
