using System.Text.Json;
using System.Text.Json.Serialization;

namespace Llama4.Moderation.Tests.Corpus;

/// <summary>One labelled case of the moderation corpus (Corpus/moderation-corpus.jsonl, one JSON object per line).</summary>
public sealed record CorpusCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] ModerationSource Source,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("pii")] IReadOnlyList<PiiKind> Pii,
    [property: JsonPropertyName("injection")] bool Injection,
    [property: JsonPropertyName("note")] string? Note)
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Gets whether the case is a near miss (must not be flagged).</summary>
    public bool IsNearMiss => Id.Contains("-nm-", StringComparison.Ordinal);

    /// <summary>Gets whether the case is a benign control (no PII, no injection).</summary>
    public bool IsBenign => Id.StartsWith("benign-", StringComparison.Ordinal) || Id.Contains("-benign-", StringComparison.Ordinal);

    /// <summary>
    /// Gets whether the case belongs to the latest held-out set: written after the heuristics were tuned on everything
    /// before it (including the earlier held-out sets, ids <c>ho1-</c> to <c>ho3-</c>) and measured as written (ids <c>ho4-</c>), never tuned on.
    /// </summary>
    public bool IsHeldOut => Id.StartsWith("ho4-", StringComparison.Ordinal);

    /// <summary>Loads the corpus shipped next to the test assembly.</summary>
    public static IReadOnlyList<CorpusCase> Load() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Corpus", "moderation-corpus.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<CorpusCase>(line, Options)!)];

    /// <inheritdoc />
    public override string ToString() => Id;
}
