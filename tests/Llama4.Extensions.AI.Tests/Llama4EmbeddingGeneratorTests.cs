using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests;

public sealed class Llama4EmbeddingGeneratorTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    // Measured on the default tiny model: alone vs batched differs by at most 5.2e-8 per component; 1e-5 leaves room.
    private const float BatchTolerance = 1e-5f;

    private readonly Llama4Engine _engine = fixture.Engine;

    [Fact]
    public async Task GenerateAsync_SameText_GivesIdenticalVectors()
    {
        using var generator = new Llama4EmbeddingGenerator(_engine);

        var first = await generator.GenerateVectorAsync("retrieval augmented generation", cancellationToken: TestContext.Current.CancellationToken);
        var second = await generator.GenerateVectorAsync("retrieval augmented generation", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public async Task GenerateAsync_Batch_EqualsOneByOneWithinTolerance()
    {
        using var generator = new Llama4EmbeddingGenerator(_engine);
        string[] texts = ["a document about invoices", "another about shipping", "short"];

        var batch = await generator.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(texts.Length, batch.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = await generator.GenerateVectorAsync(texts[i], cancellationToken: TestContext.Current.CancellationToken);
            var expected = single.Span;
            var actual = batch[i].Vector.Span;
            for (var j = 0; j < expected.Length; j++)
            {
                Assert.True(Math.Abs(expected[j] - actual[j]) <= BatchTolerance, $"input {i}, component {j}");
            }
        }
    }

    [Fact]
    public async Task GenerateAsync_Embeddings_AreUnitLengthWithModelWidthModelIdAndUsage()
    {
        using var generator = new Llama4EmbeddingGenerator(_engine);
        string[] texts = ["first", "second text"];

        var result = await generator.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken);

        foreach (var embedding in result)
        {
            Assert.Equal(_engine.Model.EmbeddingLength, embedding.Dimensions);
            Assert.Equal(_engine.ModelId, embedding.ModelId);
            Assert.NotNull(embedding.CreatedAt);
            var sum = 0.0;
            foreach (var value in embedding.Vector.Span)
            {
                sum += (double)value * value;
            }

            Assert.Equal(1.0, Math.Sqrt(sum), 5);
        }

        var expectedTokens = texts.Sum(t => _engine.CountTokens(t) + 1);
        Assert.Equal(expectedTokens, result.Usage!.InputTokenCount);
        Assert.Equal(expectedTokens, result.Usage.TotalTokenCount);
    }

    [Fact]
    public void GetService_Metadata_ReportsProviderModelAndDimensions()
    {
        using var generator = new Llama4EmbeddingGenerator(_engine);

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("llama.cpp", metadata.ProviderName);
        Assert.Equal(_engine.ModelId, metadata.DefaultModelId);
        Assert.Equal(_engine.Model.EmbeddingLength, metadata.DefaultModelDimensions);
        Assert.Same(_engine, generator.GetService<Llama4Engine>());
        Assert.Same(generator, generator.GetService<Llama4EmbeddingGenerator>());
        Assert.Null(generator.GetService(typeof(EmbeddingGeneratorMetadata), "key"));
    }

    [Fact]
    public async Task GenerateAsync_DimensionsOfModelWidth_Accepted()
    {
        using var generator = new Llama4EmbeddingGenerator(_engine);

        var result = await generator.GenerateAsync(["text"], new EmbeddingGenerationOptions { Dimensions = _engine.EmbeddingDimensions }, TestContext.Current.CancellationToken);

        Assert.Equal(_engine.EmbeddingDimensions, result[0].Dimensions);
    }

    [Fact]
    public async Task GenerateAsync_OtherDimensions_ThrowsArgumentException()
    {
        using var generator = new Llama4EmbeddingGenerator(_engine);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["text"], new EmbeddingGenerationOptions { Dimensions = 16 }, TestContext.Current.CancellationToken));

        Assert.Contains("Dimensions is 16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_OtherModelId_ThrowsArgumentException()
    {
        using var generator = new Llama4EmbeddingGenerator(_engine);

        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["text"], new EmbeddingGenerationOptions { ModelId = "text-embedding-3-small" }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GenerateAsync_TextLongerThanEmbeddingContext_ThrowsContextOverflow()
    {
        using var generator = new Llama4EmbeddingGenerator(_engine);
        var text = string.Join(' ', Enumerable.Range(0, 600).Select(i => $"t{i}"));

        var ex = await Assert.ThrowsAsync<Llama4ContextOverflowException>(() => generator.GenerateAsync([text], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(_engine.EmbeddingContextSize, ex.ContextSize);
    }

    [Fact]
    public async Task GenerateAsync_CancelledToken_ThrowsOperationCanceled()
    {
        using var generator = new Llama4EmbeddingGenerator(_engine);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(["text"], cancellationToken: cts.Token));
    }

    [Fact]
    public async Task GenerateAsync_ConcurrentWithChat_AllComplete()
    {
        var ct = TestContext.Current.CancellationToken;
        using var generator = new Llama4EmbeddingGenerator(_engine);
        using var chat = new Llama4ChatClient(_engine);
        var expected = await generator.GenerateVectorAsync("shared engine", cancellationToken: ct);

        var replies = Enumerable.Range(0, 4).Select(i => chat.GetResponseAsync($"Hello {i}", new ChatOptions { MaxOutputTokens = 16, Seed = i }, ct)).ToArray();
        var vectors = Enumerable.Range(0, 8).Select(_ => Task.Run(() => generator.GenerateVectorAsync("shared engine", cancellationToken: ct), ct)).ToArray();
        var replied = Task.WhenAll(replies);
        var embedded = Task.WhenAll(vectors);
        await Task.WhenAll(replied, embedded);

        foreach (var reply in await replied)
        {
            Assert.InRange(reply.Usage!.OutputTokenCount!.Value, 1, 16);
        }

        foreach (var vector in await embedded)
        {
            Assert.Equal(expected.ToArray(), vector.ToArray());
        }
    }

    [Fact]
    public async Task Dispose_Generator_LeavesEngineUsableAndRefusesCalls()
    {
        var generator = new Llama4EmbeddingGenerator(_engine);

        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["text"], cancellationToken: TestContext.Current.CancellationToken));
        var result = await _engine.EmbedAsync(["text"], TestContext.Current.CancellationToken);
        Assert.Single(result.Vectors);
    }
}
