using Llama4.Core;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI;

/// <summary>
/// An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over an in-process <see cref="Llama4Engine"/>: each text
/// becomes the model's hidden states pooled over its tokens (mean pooling for Llama 4 files) and L2-normalised, so
/// cosine similarity equals the dot product. A generative model's pooled hidden states are a baseline, not the quality
/// of a trained embedding model (see docs/embeddings.md). The texts of one call are batched into as few decodes as the
/// engine's embedding context allows. Safe for concurrent callers and beside chat generation on the same engine.
/// Disposing the generator never disposes the engine, which is usually shared.
/// </summary>
public sealed class Llama4EmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name reported in <see cref="EmbeddingGeneratorMetadata"/>.</summary>
    public const string ProviderName = "llama.cpp";

    private readonly Llama4Engine _engine;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private int _disposed;

    /// <summary>Creates a generator over a loaded engine.</summary>
    /// <param name="engine">The engine; it stays owned by the caller.</param>
    public Llama4EmbeddingGenerator(Llama4Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _metadata = new EmbeddingGeneratorMetadata(ProviderName, new Uri(Path.GetFullPath(engine.Model.Path)), engine.ModelId, engine.EmbeddingDimensions);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// A text is null or empty; <see cref="EmbeddingGenerationOptions.ModelId"/> names another model; or
    /// <see cref="EmbeddingGenerationOptions.Dimensions"/> differs from the model's width (truncation is refused: the
    /// model was not trained for shortened vectors).
    /// </exception>
    /// <exception cref="Llama4ContextOverflowException">A text has more tokens than the engine's <see cref="Llama4Engine.EmbeddingContextSize"/>.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ValidateOptions(options);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        var result = await _engine.EmbedAsync(inputs, cancellationToken).ConfigureAwait(false);
        var createdAt = DateTimeOffset.UtcNow;
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(result.Vectors.Count)
        {
            Usage = new UsageDetails { InputTokenCount = result.InputTokens, TotalTokenCount = result.InputTokens },
        };
        foreach (var vector in result.Vectors)
        {
            embeddings.Add(new Embedding<float>(vector) { ModelId = _engine.ModelId, CreatedAt = createdAt });
        }

        return embeddings;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return
            serviceKey is not null ? null :
            serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata :
            serviceType == typeof(Llama4Engine) ? _engine :
            serviceType.IsInstanceOfType(this) ? this :
            null;
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

    private void ValidateOptions(EmbeddingGenerationOptions? options)
    {
        if (options is null)
        {
            return;
        }

        if (!string.IsNullOrEmpty(options.ModelId) && !string.Equals(options.ModelId, _engine.ModelId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"EmbeddingGenerationOptions.ModelId is '{options.ModelId}', but this generator serves '{_engine.ModelId}'. Leave ModelId unset or use the id of the loaded model.",
                nameof(options));
        }

        if (options.Dimensions is { } dimensions && dimensions != _engine.EmbeddingDimensions)
        {
            throw new ArgumentException(
                $"EmbeddingGenerationOptions.Dimensions is {dimensions}, but this model's embeddings have {_engine.EmbeddingDimensions} dimensions and were not " +
                $"trained to be shortened. Leave Dimensions unset or set it to {_engine.EmbeddingDimensions}.",
                nameof(options));
        }
    }
}
