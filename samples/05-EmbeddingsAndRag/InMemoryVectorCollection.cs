using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

/// <summary>
/// A <see cref="VectorStoreCollection{TKey, TRecord}"/> held in memory, searched by cosine similarity over one unit-length
/// vector per record. It stands in for a real connector (Qdrant, Azure AI Search, SQLite, Semantic Kernel's in-memory
/// store...), which this repository's package source does not carry: the sample's RAG loop only sees the abstract
/// collection, so swapping in a connector changes one line. Returned records are the stored objects, vectors included.
/// </summary>
internal sealed class InMemoryVectorCollection<TKey, TRecord>(
    string name,
    Func<TRecord, TKey> getKey,
    Func<TRecord, ReadOnlyMemory<float>> getVector,
    IEmbeddingGenerator<string, Embedding<float>> generator) : VectorStoreCollection<TKey, TRecord>
    where TKey : notnull
    where TRecord : class
{
    private readonly ConcurrentDictionary<TKey, TRecord> _records = new();
    private bool _exists;

    public override string Name => name;

    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(_exists);

    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        _exists = true;
        return Task.CompletedTask;
    }

    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        _records.Clear();
        _exists = false;
        return Task.CompletedTask;
    }

    public override Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.GetValueOrDefault(key));

    public override async IAsyncEnumerable<TRecord> GetAsync(
        Expression<Func<TRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<TRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (options?.OrderBy is not null)
        {
            throw new NotSupportedException("This in-memory collection returns records in no particular order; leave OrderBy unset.");
        }

        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var record in _records.Values.Where(filter.Compile()).Skip(options?.Skip ?? 0).Take(top))
        {
            yield return record;
        }
    }

    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        _records.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default) => UpsertAsync([record], cancellationToken);

    public override Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (!_exists)
        {
            throw new InvalidOperationException($"The collection '{name}' does not exist yet: call EnsureCollectionExistsAsync first.");
        }

        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            _records[getKey(record)] = record;
        }

        return Task.CompletedTask;
    }

    public override async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<TRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (options?.VectorProperty is not null)
        {
            throw new NotSupportedException("This collection has one vector per record; leave VectorProperty unset.");
        }

        var query = searchValue switch
        {
            string text => (await generator.GenerateAsync([text], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector,
            ReadOnlyMemory<float> vector => vector,
            Embedding<float> embedding => embedding.Vector,
            _ => throw new NotSupportedException($"Search with a string, a ReadOnlyMemory<float> or an Embedding<float>, not a {typeof(TInput).Name}."),
        };
        var filter = options?.Filter?.Compile() ?? (_ => true);
        var hits = _records.Values
            .Where(filter)
            .Select(record => new VectorSearchResult<TRecord>(record, Dot(query.Span, getVector(record).Span)))
            .Where(hit => options?.ScoreThreshold is not { } threshold || hit.Score >= threshold)
            .OrderByDescending(hit => hit.Score)
            .Skip(options?.Skip ?? 0)
            .Take(top);
        foreach (var hit in hits)
        {
            yield return hit;
        }
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    // The engine's embeddings have unit length, so their dot product is their cosine similarity.
    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new InvalidOperationException($"A stored vector has {b.Length} dimensions and the query {a.Length}: index and search with the same model.");
        }

        var sum = 0d;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
