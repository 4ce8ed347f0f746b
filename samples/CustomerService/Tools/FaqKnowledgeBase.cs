using Microsoft.Extensions.AI;

namespace CustomerService.Tools;

/// <summary>
/// A small FAQ searched by meaning: every entry is embedded once with the engine's embedding generator, a query is
/// embedded the same way and the entries are ranked by cosine similarity. With the random-weight demo model the ranking
/// is arbitrary; the retrieval code path is the same as with real weights.
/// </summary>
internal sealed class FaqKnowledgeBase
{
    public static readonly IReadOnlyList<FaqEntry> DefaultEntries =
    [
        new("How long does shipping take?", "Orders ship within 1 business day; delivery takes 2-4 business days in the EU."),
        new("How do I return an item?", "Returns are free within 30 days: open a ticket and we e-mail a prepaid label."),
        new("When do I get my refund?", "Approved refunds reach the original payment method within 5 business days."),
        new("Can I change my delivery address?", "Yes, until the order status is shipped; after that, contact the carrier."),
        new("Do you ship outside the EU?", "We ship to the UK, Norway and Switzerland; customs fees are paid by the customer."),
        new("What warranty do products have?", "Two years on all products; keyboards and mice three years."),
        new("Which payment methods do you accept?", "Cards (Visa, Mastercard, Amex), SEPA transfer and PayPal."),
        new("How do I cancel an order?", "Orders in processing can be cancelled; shipped orders must be returned instead."),
    ];

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly IReadOnlyList<FaqEntry> _entries;
    private readonly IReadOnlyList<ReadOnlyMemory<float>> _vectors;

    private FaqKnowledgeBase(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<FaqEntry> entries, IReadOnlyList<ReadOnlyMemory<float>> vectors)
    {
        _generator = generator;
        _entries = entries;
        _vectors = vectors;
    }

    /// <summary>Embeds <paramref name="entries"/> (question and answer together) and returns the searchable base.</summary>
    public static async Task<FaqKnowledgeBase> CreateAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator,
        IReadOnlyList<FaqEntry> entries,
        CancellationToken cancellationToken)
    {
        var embeddings = await generator.GenerateAsync(entries.Select(e => $"{e.Question} {e.Answer}"), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new FaqKnowledgeBase(generator, entries, [.. embeddings.Select(e => e.Vector)]);
    }

    public async Task<IReadOnlyList<FaqHit>> SearchAsync(string query, int count, CancellationToken cancellationToken)
    {
        var queryVector = (await _generator.GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
        return [.. _entries
            .Select((entry, i) => new FaqHit(entry, CosineSimilarity(queryVector.Span, _vectors[i].Span)))
            .OrderByDescending(hit => hit.Score)
            .Take(count)];
    }

    internal static float CosineSimilarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Vectors of {a.Length} and {b.Length} dimensions cannot be compared; embed both with the same model.", nameof(b));
        }

        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }

        return normA == 0 || normB == 0 ? 0f : (float)(dot / (Math.Sqrt(normA) * Math.Sqrt(normB)));
    }
}
