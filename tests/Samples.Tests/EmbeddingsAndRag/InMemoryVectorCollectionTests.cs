using Llama4.Extensions.AI;
using Llama4.Testing;
using Microsoft.Extensions.VectorData;

namespace Samples.Tests.EmbeddingsAndRag;

public sealed class InMemoryVectorCollectionTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private static readonly FaqEntry[] Entries =
    [
        new(1, "east", "a") { Embedding = new float[] { 1, 0, 0 } },
        new(2, "north", "b") { Embedding = new float[] { 0, 1, 0 } },
        new(3, "north-east", "c") { Embedding = new float[] { 0.7071f, 0.7071f, 0 } },
    ];

    [Fact]
    public async Task SearchAsync_Vector_ReturnsTheClosestFirstWithCosineScores()
    {
        using var collection = await CreateAsync(Entries);

        var hits = await collection.SearchAsync(new ReadOnlyMemory<float>([1f, 0, 0]), top: 2, cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal([1, 3], hits.Select(h => h.Record.Id));
        Assert.Equal(1.0, hits[0].Score!.Value, 3);
        Assert.Equal(0.7071, hits[1].Score!.Value, 3);
    }

    [Fact]
    public async Task SearchAsync_FilterSkipAndThreshold_AppliesEachOne()
    {
        using var collection = await CreateAsync(Entries);
        var options = new VectorSearchOptions<FaqEntry> { Filter = e => e.Id != 1, Skip = 1, ScoreThreshold = 0.1 };

        var hits = await collection.SearchAsync(new ReadOnlyMemory<float>([1f, 0, 0]), top: 5, options, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        // Without entry 1, the ranking is 3 (0.71) then 2 (0.0, below the threshold); Skip drops 3.
        Assert.Empty(hits);
    }

    [Fact]
    public async Task SearchAsync_Text_EmbedsTheQueryWithTheEngine()
    {
        using var generator = new Llama4EmbeddingGenerator(fixture.Engine);
        string[] texts = ["How long does delivery take?", "Can I return an item?", "How do I reset my password?"];
        var vectors = await generator.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken);
        using var collection = await CreateAsync(texts.Select((t, i) => new FaqEntry(i, t, "answer") { Embedding = vectors[i].Vector }), generator);

        var hits = await collection.SearchAsync(texts[1], top: 1, cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        // The same text gives the same vector (up to batch-shape rounding), so it is its own nearest neighbour.
        var hit = Assert.Single(hits);
        Assert.Equal(1, hit.Record.Id);
        Assert.True(hit.Score > 0.99, $"score {hit.Score}");
    }

    [Fact]
    public async Task UpsertAsync_BeforeTheCollectionExists_Throws()
    {
        using var collection = new InMemoryVectorCollection<int, FaqEntry>("faq", e => e.Id, e => e.Embedding, new Llama4EmbeddingGenerator(fixture.Engine));

        await Assert.ThrowsAsync<InvalidOperationException>(() => collection.UpsertAsync(Entries[0], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetAsync_FilterWithSkipAndTop_ReturnsTheMatchingRecords()
    {
        using var collection = await CreateAsync(Entries);

        var records = await collection.GetAsync(e => e.Id >= 2, top: 10, cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        var byKey = await collection.GetAsync(3, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([2, 3], records.Select(r => r.Id).Order());
        Assert.Equal("north-east", byKey?.Question);
    }

    [Fact]
    public async Task SearchAsync_VectorOfAnotherLength_ThrowsNamingBothLengths()
    {
        using var collection = await CreateAsync(Entries);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await collection.SearchAsync(new ReadOnlyMemory<float>([1f, 0]), top: 1, cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Contains("3 dimensions", error.Message, StringComparison.Ordinal);
    }

    private async Task<InMemoryVectorCollection<int, FaqEntry>> CreateAsync(IEnumerable<FaqEntry> entries, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>? generator = null)
    {
        var collection = new InMemoryVectorCollection<int, FaqEntry>("faq", e => e.Id, e => e.Embedding, generator ?? new Llama4EmbeddingGenerator(fixture.Engine));
        await collection.EnsureCollectionExistsAsync(TestContext.Current.CancellationToken);
        await collection.UpsertAsync(entries, TestContext.Current.CancellationToken);
        return collection;
    }
}
