namespace Llama4.Core.Sessions;

/// <summary>
/// The metadata of a saved session: what the state belongs to (model and KV cache configuration, which must match to
/// restore it) and what it holds. Serialized as JSON inside the session file.
/// </summary>
internal sealed record SessionHeader
{
    public string ModelName { get; init; } = string.Empty;

    /// <summary>Gets the SHA-256 of the model file's GGUF header (metadata and tensor table), hex.</summary>
    public string ModelFingerprint { get; init; } = string.Empty;

    public long ModelFileLength { get; init; }

    /// <summary>Gets the LLamaSharp version whose llama.cpp wrote the state (its format is not stable across versions).</summary>
    public string LibraryVersion { get; init; } = string.Empty;

    public int ContextSize { get; init; }

    public int SequenceContextSize { get; init; }

    public bool UnifiedKvCache { get; init; }

    public bool FullSizeSwaCache { get; init; }

    public string KeyCacheType { get; init; } = string.Empty;

    public string ValueCacheType { get; init; } = string.Empty;

    public bool FlashAttention { get; init; }

    public int ChunkSize { get; init; }

    public string? ConversationId { get; init; }

    public int PreambleLength { get; init; }

    public int TokenCount { get; init; }

    public long StateBytes { get; init; }

    public DateTimeOffset SavedAt { get; init; }

    /// <summary>Lists how <paramref name="saved"/> differs from what this engine needs, model first.</summary>
    /// <returns>(model differences, configuration differences), each "setting: saved X, engine Y".</returns>
    public static (List<string> Model, List<string> Configuration) Differences(SessionHeader saved, SessionHeader engine)
    {
        var model = new List<string>();
        Compare(model, "model fingerprint", saved.ModelFingerprint, engine.ModelFingerprint);
        Compare(model, "model file length", saved.ModelFileLength, engine.ModelFileLength);

        var configuration = new List<string>();
        Compare(configuration, "library version", saved.LibraryVersion, engine.LibraryVersion);
        Compare(configuration, nameof(Llama4EngineOptions.ContextSize), saved.ContextSize, engine.ContextSize);
        Compare(configuration, "sequence context size", saved.SequenceContextSize, engine.SequenceContextSize);
        Compare(configuration, nameof(Llama4EngineOptions.UnifiedKvCache), saved.UnifiedKvCache, engine.UnifiedKvCache);
        Compare(configuration, nameof(Llama4EngineOptions.FullSizeSwaCache), saved.FullSizeSwaCache, engine.FullSizeSwaCache);
        Compare(configuration, nameof(Llama4EngineOptions.KeyCacheType), saved.KeyCacheType, engine.KeyCacheType);
        Compare(configuration, nameof(Llama4EngineOptions.ValueCacheType), saved.ValueCacheType, engine.ValueCacheType);
        Compare(configuration, "flash attention (resolved)", saved.FlashAttention, engine.FlashAttention);
        Compare(configuration, "chunked-attention window", saved.ChunkSize, engine.ChunkSize);
        return (model, configuration);
    }

    private static void Compare<T>(List<string> differences, string name, T saved, T engine)
    {
        if (!EqualityComparer<T>.Default.Equals(saved, engine))
        {
            differences.Add($"{name}: saved {saved}, this engine {engine}");
        }
    }
}
