using System.Collections.ObjectModel;
using System.Globalization;

namespace Llama4.TinyModel;

/// <summary>
/// The shape, seed and metadata of a generated Llama 4 vision projector (an <c>mmproj</c> GGUF with
/// <c>general.architecture</c> <c>clip</c> and <c>clip.projector_type</c> <c>llama4</c>). Equal options give
/// byte-identical files. The default matches <see cref="TinyModelOptions.Default"/> (text width 128): 56-pixel tiles of
/// 14-pixel patches, a 2-block vision encoder of width 32, pixel shuffle 2, so 4 image tokens per tile.
/// </summary>
/// <remarks>
/// <see cref="Validate"/> checks only what writing needs (positive sizes, supported override values): inconsistent
/// shapes (a head count that does not divide the width, an image size that is not a multiple of the patch size...) are
/// written as asked, so that tests can build the malformed projectors that would crash llama.cpp's mtmd natively. Use
/// <see cref="MetadataOverrides"/> and <see cref="TensorShapeOverrides"/> for the rest.
/// </remarks>
public sealed record TinyProjectorOptions
{
    private static readonly IReadOnlyDictionary<string, object?> NoMetadataOverrides =
        new ReadOnlyDictionary<string, object?>(new Dictionary<string, object?>(StringComparer.Ordinal));

    private static readonly IReadOnlyDictionary<string, long[]?> NoTensorOverrides =
        new ReadOnlyDictionary<string, long[]?>(new Dictionary<string, long[]?>(StringComparer.Ordinal));

    /// <summary>The default projector, matching <see cref="TinyModelOptions.Default"/>.</summary>
    public static TinyProjectorOptions Default { get; } = new();

    /// <summary>The seed of the weight generator. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The width of the text model the projector feeds (the output width of <c>mm.model.fc.weight</c>); must
    /// equal the text model's <c>llama4.embedding_length</c>. Default 128.</summary>
    public int TextEmbeddingLength { get; init; } = 128;

    /// <summary>The side of one square image tile in pixels (<c>clip.vision.image_size</c>). Default 56.</summary>
    public int ImageSize { get; init; } = 56;

    /// <summary>The side of one square patch in pixels (<c>clip.vision.patch_size</c>). Default 14.</summary>
    public int PatchSize { get; init; } = 14;

    /// <summary>The width of the vision encoder (<c>clip.vision.embedding_length</c>). Default 32.</summary>
    public int EmbeddingLength { get; init; } = 32;

    /// <summary>The FFN width of the vision encoder (<c>clip.vision.feed_forward_length</c>). Default 64.</summary>
    public int FeedForwardLength { get; init; } = 64;

    /// <summary>The number of vision encoder blocks (<c>clip.vision.block_count</c>). Default 2.</summary>
    public int BlockCount { get; init; } = 2;

    /// <summary>The number of attention heads of the vision encoder (<c>clip.vision.attention.head_count</c>). Default 2.</summary>
    public int HeadCount { get; init; } = 2;

    /// <summary>The pixel-shuffle factor (<c>clip.vision.projector.scale_factor</c>). Default 2.</summary>
    public int ScaleFactor { get; init; } = 2;

    /// <summary>The width of the projector's two MLP layers (<c>clip.vision.projection_dim</c>). Default 64.</summary>
    public int ProjectionLength { get; init; } = 64;

    /// <summary>The standard deviation of the random weights. Default 0.02.</summary>
    public float WeightStandardDeviation { get; init; } = 0.02f;

    /// <summary>
    /// Metadata edits applied after the generated keys: a null value removes the key; any other value replaces it in
    /// place (or is appended, in ordinal key order) with the GGUF type matching its CLR type, as in
    /// <see cref="TinyModelOptions.MetadataOverrides"/>.
    /// </summary>
    public IReadOnlyDictionary<string, object?> MetadataOverrides { get; init; } = NoMetadataOverrides;

    /// <summary>
    /// Tensor edits applied after the generated tensors: a null shape removes the tensor; any other shape (ggml order,
    /// ne[0] first) replaces the tensor's shape, or adds an F32 tensor of that name when there is none.
    /// </summary>
    public IReadOnlyDictionary<string, long[]?> TensorShapeOverrides { get; init; } = NoTensorOverrides;

    /// <summary>The image tokens one tile gives: <c>((ImageSize / PatchSize) / ScaleFactor)^2</c>.</summary>
    public int TokensPerTile => PatchSize > 0 && ScaleFactor > 0 ? (int)Math.Pow(ImageSize / PatchSize / ScaleFactor, 2) : 0;

    /// <summary>A projector for a text model generated from <paramref name="model"/> (its width), with the other defaults.</summary>
    /// <param name="model">The text model's options.</param>
    /// <returns>The projector options.</returns>
    public static TinyProjectorOptions ForModel(TinyModelOptions model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new TinyProjectorOptions { TextEmbeddingLength = model.EmbeddingLength };
    }

    /// <summary>Checks what writing the file needs.</summary>
    /// <exception cref="ArgumentException">An option is out of range or an override cannot be written; <see cref="ArgumentException.ParamName"/> names it.</exception>
    public void Validate()
    {
        RequirePositive(TextEmbeddingLength, nameof(TextEmbeddingLength));
        RequirePositive(ImageSize, nameof(ImageSize));
        RequirePositive(PatchSize, nameof(PatchSize));
        RequirePositive(EmbeddingLength, nameof(EmbeddingLength));
        RequirePositive(FeedForwardLength, nameof(FeedForwardLength));
        RequirePositive(BlockCount, nameof(BlockCount));
        RequirePositive(HeadCount, nameof(HeadCount));
        RequirePositive(ScaleFactor, nameof(ScaleFactor));
        RequirePositive(ProjectionLength, nameof(ProjectionLength));
        if (!float.IsFinite(WeightStandardDeviation) || WeightStandardDeviation < 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"WeightStandardDeviation ({WeightStandardDeviation}) must be finite and not negative."),
                nameof(WeightStandardDeviation));
        }

        ArgumentNullException.ThrowIfNull(MetadataOverrides);
        ArgumentNullException.ThrowIfNull(TensorShapeOverrides);
        foreach (KeyValuePair<string, object?> pair in MetadataOverrides)
        {
            if (string.IsNullOrEmpty(pair.Key))
            {
                throw new ArgumentException("Metadata override keys must not be empty.", nameof(MetadataOverrides));
            }

            if (pair.Value is not null && Gguf.GgufMetadataEntry.TryFromObject(pair.Key, pair.Value) is null)
            {
                throw new ArgumentException(Gguf.GgufMetadataEntry.DescribeUnsupported(pair.Key, pair.Value), nameof(MetadataOverrides));
            }
        }

        foreach (KeyValuePair<string, long[]?> pair in TensorShapeOverrides)
        {
            if (string.IsNullOrEmpty(pair.Key))
            {
                throw new ArgumentException("Tensor override names must not be empty.", nameof(TensorShapeOverrides));
            }

            if (pair.Value is { } shape && (shape.Length is < 1 or > 4 || shape.Any(d => d < 1)))
            {
                throw new ArgumentException(
                    $"Tensor override '{pair.Key}' must have 1 to 4 dimensions, each at least 1.",
                    nameof(TensorShapeOverrides));
            }
        }
    }

    private static void RequirePositive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} is {value} but must be at least 1."), name);
        }
    }
}
