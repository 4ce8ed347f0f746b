using Llama4.Core;
using Llama4.Testing;

namespace Llama4.Core.Tests;

public sealed class Llama4EngineEmbeddingTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    // Measured on the default tiny model: the same text embedded alone or in a batch of several sequences differs by
    // at most 5.2e-8 per component (llama.cpp's CPU arithmetic depends on the batch shape); the same batch shape gives
    // identical vectors. 1e-5 leaves room for other CPUs.
    private const float BatchTolerance = 1e-5f;

    private readonly Llama4Engine _engine = fixture.Engine;

    [Fact]
    public async Task EmbedAsync_SameTextTwice_GivesIdenticalVectors()
    {
        var first = await _engine.EmbedAsync(["The quick brown fox"], TestContext.Current.CancellationToken);
        var second = await _engine.EmbedAsync(["The quick brown fox"], TestContext.Current.CancellationToken);

        Assert.Equal(first.Vectors[0].ToArray(), second.Vectors[0].ToArray());
    }

    [Fact]
    public async Task EmbedAsync_Vectors_AreUnitLengthWithModelWidth()
    {
        var result = await _engine.EmbedAsync(["alpha", "beta gamma", "a somewhat longer sentence about nothing"], TestContext.Current.CancellationToken);

        Assert.Equal(3, result.Vectors.Count);
        Assert.Equal(_engine.Model.EmbeddingLength, _engine.EmbeddingDimensions);
        foreach (var vector in result.Vectors)
        {
            Assert.Equal(_engine.EmbeddingDimensions, vector.Length);
            Assert.Equal(1.0, Norm(vector.Span), 5);
        }
    }

    [Fact]
    public async Task EmbedAsync_Batch_EqualsOneByOneWithinTolerance()
    {
        string[] texts = ["first text", "second, longer text with more words in it", "third", "<|eot|> stays text"];

        var batch = await _engine.EmbedAsync(texts, TestContext.Current.CancellationToken);
        var single = new List<ReadOnlyMemory<float>>();
        foreach (var text in texts)
        {
            single.Add((await _engine.EmbedAsync([text], TestContext.Current.CancellationToken)).Vectors[0]);
        }

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.True(MaxDifference(batch.Vectors[i].Span, single[i].Span) <= BatchTolerance, $"input {i} differs by {MaxDifference(batch.Vectors[i].Span, single[i].Span)}");
        }
    }

    [Fact]
    public async Task EmbedAsync_InputsBeyondOneDecode_SplitAndKeepOrder()
    {
        // Each text is about 200 tokens: three do not fit one 512-token decode.
        var texts = Enumerable.Range(0, 3).Select(i => string.Join(' ', Enumerable.Range(0, 70).Select(j => $"w{i}{j % 7}"))).ToArray();
        Assert.True(texts.Sum(t => _engine.CountTokens(t) + 1) > _engine.EmbeddingContextSize);

        var batch = await _engine.EmbedAsync(texts, TestContext.Current.CancellationToken);

        for (var i = 0; i < texts.Length; i++)
        {
            var single = (await _engine.EmbedAsync([texts[i]], TestContext.Current.CancellationToken)).Vectors[0];
            Assert.True(MaxDifference(batch.Vectors[i].Span, single.Span) <= BatchTolerance, $"split {i}: {MaxDifference(batch.Vectors[i].Span, single.Span)}");
        }
    }

    [Fact]
    public async Task EmbedAsync_DifferentTexts_GiveDifferentVectors()
    {
        var result = await _engine.EmbedAsync(["one text", "an entirely different text"], TestContext.Current.CancellationToken);

        Assert.True(MaxDifference(result.Vectors[0].Span, result.Vectors[1].Span) > BatchTolerance);
    }

    [Fact]
    public async Task EmbedAsync_InputTokens_CountBosAndText()
    {
        string[] texts = ["count these tokens", "and these"];

        var result = await _engine.EmbedAsync(texts, TestContext.Current.CancellationToken);

        Assert.Equal(texts.Sum(t => _engine.CountTokens(t) + 1), result.InputTokens);
    }

    [Fact]
    public async Task EmbedAsync_InputLongerThanContext_ThrowsOverflowWithCounts()
    {
        var text = string.Join(' ', Enumerable.Range(0, 600).Select(i => $"t{i}"));
        var tokens = _engine.CountTokens(text) + 1;

        var ex = await Assert.ThrowsAsync<Llama4ContextOverflowException>(() => _engine.EmbedAsync(["short", text], TestContext.Current.CancellationToken));

        Assert.Equal(tokens, ex.PromptTokens);
        Assert.Equal(0, ex.ReservedOutputTokens);
        Assert.Equal(_engine.EmbeddingContextSize, ex.ContextSize);
        Assert.Contains("Input 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_EmptyInput_ThrowsArgumentException()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _engine.EmbedAsync(["text", string.Empty], TestContext.Current.CancellationToken));

        Assert.Contains("Input 1 is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_NoInputs_ReturnsEmptyResult()
    {
        var result = await _engine.EmbedAsync([], TestContext.Current.CancellationToken);

        Assert.Empty(result.Vectors);
        Assert.Equal(0, result.InputTokens);
    }

    [Fact]
    public async Task EmbedAsync_CancelledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _engine.EmbedAsync(["cancel me"], cts.Token));
    }

    [Fact]
    public async Task EmbedAsync_WhileGenerating_BothCompleteAndVectorsUnchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        var expected = (await _engine.EmbedAsync(["concurrent text"], ct)).Vectors[0].ToArray();

        var generations = Enumerable.Range(0, 4).Select(i => GenerationResult.CollectAsync(_engine, Prompts.Seeded(seed: 100 + i, maxOutputTokens: 32), ct)).ToArray();
        var embeddings = Enumerable.Range(0, 8).Select(_ => Task.Run(() => _engine.EmbedAsync(["concurrent text", "another"], ct), ct)).ToArray();
        var generated = Task.WhenAll(generations);
        var embedded = Task.WhenAll(embeddings);
        await Task.WhenAll(generated, embedded);

        foreach (var generation in await generated)
        {
            Assert.InRange(generation.Usage.OutputTokens, 1, 32);
        }

        foreach (var embedding in await embedded)
        {
            Assert.True(MaxDifference(expected, embedding.Vectors[0].Span) <= BatchTolerance, $"concurrent: {MaxDifference(expected, embedding.Vectors[0].Span)}");
        }
    }

    [Fact]
    public void Validate_EmbeddingContextSizeTooSmall_NamesTheOption()
    {
        var options = EngineFixture.CreateOptions(fixture.ModelPath);
        options.EmbeddingContextSize = 8;

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains(nameof(Llama4EngineOptions.EmbeddingContextSize), StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmbedAsync_AfterEngineDisposed_ThrowsObjectDisposed()
    {
        var options = EngineFixture.CreateOptions(fixture.ModelPath);
        options.ContextSize = 1024;
        options.MaxParallelSequences = 1;
        options.EmbeddingContextSize = 64;
        var engine = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        var before = await engine.EmbedAsync(["before disposal"], TestContext.Current.CancellationToken);

        await engine.DisposeAsync();

        Assert.Equal(engine.EmbeddingDimensions, before.Vectors[0].Length);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => engine.EmbedAsync(["after disposal"], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DisposeAsync_DuringEmbeddingBatch_RequestEndsCleanly()
    {
        var options = EngineFixture.CreateOptions(fixture.ModelPath);
        options.ContextSize = 1024;
        options.MaxParallelSequences = 1;
        options.EmbeddingContextSize = 64;
        var engine = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        var texts = Enumerable.Range(0, 200).Select(i => $"text number {i} with a few more words").ToArray();
        await engine.EmbedAsync(["create the context"], TestContext.Current.CancellationToken);

        var embedding = engine.EmbedAsync(texts, TestContext.Current.CancellationToken);
        await engine.DisposeAsync();

        // Either the batch finished before the engine noticed, or it stops at the next decode; never a native failure.
        try
        {
            var result = await embedding;
            Assert.Equal(texts.Length, result.Vectors.Count);
        }
        catch (ObjectDisposedException)
        {
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => engine.EmbedAsync(["after"], TestContext.Current.CancellationToken));
    }

    private static double Norm(ReadOnlySpan<float> vector)
    {
        double sum = 0;
        foreach (var value in vector)
        {
            sum += (double)value * value;
        }

        return Math.Sqrt(sum);
    }

    private static float MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
