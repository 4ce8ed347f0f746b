using System.Collections.ObjectModel;
using System.Globalization;

namespace Llama4.TinyModel;

/// <summary>
/// The shape, tokenizer size, seed and metadata of a generated <c>llama4</c> GGUF. Equal options give byte-identical
/// files. Use <see cref="MetadataOverrides"/> to build deliberately broken files for validation tests.
/// </summary>
public sealed record TinyModelOptions
{
    /// <summary>The number of ordinary (BPE) tokens of Meta's Llama 4 tokenizer: 200,000.</summary>
    public const int RealOrdinaryTokenCount = 200_000;

    /// <summary>The vocabulary size of Meta's Llama 4 models (ordinary, special and padding entries): 202,048.</summary>
    public const int RealVocabularySize = 202_048;

    /// <summary>The largest <see cref="OrdinaryTokenCount"/> and <see cref="VocabularySize"/> accepted: 1,048,576.</summary>
    public const int MaxVocabularySize = 1 << 20;

    private static readonly IReadOnlyDictionary<string, object?> NoOverrides =
        new ReadOnlyDictionary<string, object?>(new Dictionary<string, object?>(StringComparer.Ordinal));

    private static readonly IReadOnlyDictionary<string, int> NoTypeOverrides =
        new ReadOnlyDictionary<string, int>(new Dictionary<string, int>(StringComparer.Ordinal));

    /// <summary>The default tiny model: 4 layers, width 128, 4 experts (about 2.7 MB in F16).</summary>
    public static TinyModelOptions Default { get; } = new();

    /// <summary>
    /// A larger model for benchmarks (about 430 MB in F16): 8 layers, width 1024, 16 heads, 8 KV heads, 16 experts
    /// (top-1) of width 768, dense FFN 2048. Large enough that decoding is memory-bound like a real model.
    /// </summary>
    public static TinyModelOptions Larger { get; } = new()
    {
        ModelName = "llama4-tiny-larger",
        LayerCount = 8,
        EmbeddingLength = 1024,
        HeadCount = 16,
        KvHeadCount = 8,
        FeedForwardLength = 2048,
        ExpertFeedForwardLength = 768,
        ExpertCount = 16,
        ExpertUsedCount = 1,
    };

    /// <summary>
    /// A model with Llama 4's real vocabulary and the default tiny layers (about 53 MB in F16): 202,048 tokens, of which
    /// 200,000 ordinary byte-level BPE tokens (the 256 bytes, 1,000 merges learned from the embedded corpus, the rest
    /// generated merges), the 1,144 special tokens at their real ids (<c>&lt;|begin_of_text|&gt;</c> = 200000,
    /// <c>&lt;|eot|&gt;</c> = 200008) and 904 unused padding entries, as in Meta's GGUFs. The output projection is tied
    /// to the token embedding (no <c>output.weight</c>), which halves the file. Sampling, grammars and tokenization cost
    /// what they cost on a real Llama 4 vocabulary.
    /// </summary>
    public static TinyModelOptions RealVocabulary { get; } = new()
    {
        ModelName = "llama4-tiny-realvocab",
        MergeCount = 1000,
        OrdinaryTokenCount = RealOrdinaryTokenCount,
        VocabularySize = RealVocabularySize,
        TiedOutput = true,
    };

    /// <summary>The seed of the weight generator. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The number of transformer blocks (<c>llama4.block_count</c>); at least 4, since llama.cpp makes every
    /// 4th layer a global no-RoPE layer. Default 4.</summary>
    public int LayerCount { get; init; } = 4;

    /// <summary>The model width (<c>llama4.embedding_length</c>). Default 128.</summary>
    public int EmbeddingLength { get; init; } = 128;

    /// <summary>The number of query heads; must divide <see cref="EmbeddingLength"/> into an even head size. Default 4.</summary>
    public int HeadCount { get; init; } = 4;

    /// <summary>The number of key/value heads; must divide <see cref="HeadCount"/>. Default 2.</summary>
    public int KvHeadCount { get; init; } = 2;

    /// <summary>The FFN width of dense (non-MoE) layers (<c>llama4.feed_forward_length</c>). Default 256.</summary>
    public int FeedForwardLength { get; init; } = 256;

    /// <summary>The FFN width of each expert and of the shared expert. Default 128.</summary>
    public int ExpertFeedForwardLength { get; init; } = 128;

    /// <summary>The number of routed experts per MoE layer. Default 4.</summary>
    public int ExpertCount { get; init; } = 4;

    /// <summary>The number of experts each token uses (top-k). Default 1.</summary>
    public int ExpertUsedCount { get; init; } = 1;

    /// <summary>Layer i is a MoE layer iff (i + 1) % step == 0 (<c>llama4.interleave_moe_layer_step</c>). Default 2.</summary>
    public int MoeLayerStep { get; init; } = 2;

    /// <summary>The number of BPE merges learned from the embedded corpus (each adds one token). Default 300.</summary>
    public int MergeCount { get; init; } = 300;

    /// <summary>
    /// The number of ordinary tokens (bytes and merges) before the special tokens, so the id of
    /// <c>&lt;|begin_of_text|&gt;</c>; merges beyond <see cref="MergeCount"/> are generated (valid, unique, fast to
    /// build). <see langword="null"/> (default): 256 + <see cref="MergeCount"/>.
    /// </summary>
    public int? OrdinaryTokenCount { get; init; }

    /// <summary>
    /// The total vocabulary size: entries after the special tokens are unused <c>[PAD{id}]</c> tokens (token type 5).
    /// <see langword="null"/> (default): no padding.
    /// </summary>
    public int? VocabularySize { get; init; }

    /// <summary>
    /// Whether the output projection is tied to the token embedding: no <c>output.weight</c> tensor is written and
    /// llama.cpp uses <c>token_embd.weight</c> for both. Default <see langword="false"/>.
    /// </summary>
    public bool TiedOutput { get; init; }

    /// <summary>The training context written to <c>llama4.context_length</c>. Default 131072.</summary>
    public int ContextLength { get; init; } = 131072;

    /// <summary>The standard deviation of the random weight matrices. Default 0.02.</summary>
    public float WeightStandardDeviation { get; init; } = 0.02f;

    /// <summary>The storage type of the weight matrices. Default <see cref="TinyModelTensorType.F16"/>.</summary>
    public TinyModelTensorType TensorType { get; init; } = TinyModelTensorType.F16;

    /// <summary>The value of <c>general.name</c>. Default <c>llama4-tiny</c>.</summary>
    public string ModelName { get; init; } = "llama4-tiny";

    /// <summary>
    /// Metadata edits applied after the generated keys: a null value removes the key; any other value replaces it in
    /// place (or is appended, in ordinal key order) with the GGUF type matching its CLR type: string, bool, byte,
    /// sbyte, ushort, short, uint, int, ulong, long, float, double, or an array of one of them. The tensors still
    /// follow the options, so this builds files whose metadata lies (zero experts, a foreign architecture...).
    /// </summary>
    public IReadOnlyDictionary<string, object?> MetadataOverrides { get; init; } = NoOverrides;

    /// <summary>
    /// Storage-type edits by tensor name: the named tensor is written as that ggml type id (0 F32, 1 F16, 2 Q4_0,
    /// 8 Q8_0, 24 I8, 26 I32, 28 F64, 30 BF16, ...) instead of <see cref="TensorType"/>. F32 and F16 tensors get their
    /// usual random content; any other type is written as zero bytes. This builds files whose tensors llama.cpp's
    /// kernels cannot run (integer matrices, an F16 norm...), for validation tests.
    /// </summary>
    public IReadOnlyDictionary<string, int> TensorTypeOverrides { get; init; } = NoTypeOverrides;

    /// <summary>The size of one attention head (<see cref="EmbeddingLength"/> / <see cref="HeadCount"/>).</summary>
    public int HeadDimension => HeadCount > 0 ? EmbeddingLength / HeadCount : 0;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; <see cref="ArgumentException.ParamName"/> names it.</exception>
    public void Validate()
    {
        RequireAtLeast(LayerCount, 4, nameof(LayerCount), "llama.cpp hard-codes a global no-RoPE layer every 4 layers");
        RequireAtLeast(EmbeddingLength, 1, nameof(EmbeddingLength), null);
        RequireAtLeast(HeadCount, 1, nameof(HeadCount), null);
        RequireAtLeast(KvHeadCount, 1, nameof(KvHeadCount), null);
        RequireAtLeast(FeedForwardLength, 1, nameof(FeedForwardLength), null);
        RequireAtLeast(ExpertFeedForwardLength, 1, nameof(ExpertFeedForwardLength), null);
        RequireAtLeast(ExpertCount, 1, nameof(ExpertCount), "llama.cpp aborts on a MoE model without experts");
        RequireAtLeast(ExpertUsedCount, 1, nameof(ExpertUsedCount), "llama.cpp aborts when no expert is used");
        RequireAtLeast(MoeLayerStep, 1, nameof(MoeLayerStep), "a step of 0 divides by zero in llama.cpp");
        RequireAtLeast(MergeCount, 0, nameof(MergeCount), null);
        RequireAtLeast(ContextLength, 1, nameof(ContextLength), null);
        if (OrdinaryTokenCount is { } ordinary && (ordinary < 256 + MergeCount || ordinary > MaxVocabularySize))
        {
            throw Invalid(nameof(OrdinaryTokenCount), $"OrdinaryTokenCount is {ordinary} but must be from 256 + MergeCount ({256 + MergeCount}) to {MaxVocabularySize}, or null.");
        }

        int specialsEnd = (OrdinaryTokenCount ?? 256 + MergeCount) + TinyModelSpecialTokens.All.Count;
        if (VocabularySize is { } size && (size < specialsEnd || size > MaxVocabularySize))
        {
            throw Invalid(nameof(VocabularySize), $"VocabularySize is {size} but must be from the ordinary and special tokens' count ({specialsEnd}) to {MaxVocabularySize}, or null.");
        }

        if (EmbeddingLength % HeadCount != 0)
        {
            throw Invalid(nameof(EmbeddingLength), $"EmbeddingLength ({EmbeddingLength}) must be divisible by HeadCount ({HeadCount}).");
        }

        if (HeadDimension % 2 != 0)
        {
            throw Invalid(nameof(HeadCount), $"The head size EmbeddingLength / HeadCount ({HeadDimension}) must be even for RoPE.");
        }

        if (HeadCount % KvHeadCount != 0)
        {
            throw Invalid(nameof(KvHeadCount), $"HeadCount ({HeadCount}) must be divisible by KvHeadCount ({KvHeadCount}).");
        }

        if (ExpertUsedCount > ExpertCount)
        {
            throw Invalid(nameof(ExpertUsedCount), $"ExpertUsedCount ({ExpertUsedCount}) must not exceed ExpertCount ({ExpertCount}).");
        }

        if (!float.IsFinite(WeightStandardDeviation) || WeightStandardDeviation < 0)
        {
            throw Invalid(nameof(WeightStandardDeviation), $"WeightStandardDeviation ({WeightStandardDeviation}) must be finite and not negative.");
        }

        if (!Enum.IsDefined(TensorType))
        {
            throw Invalid(nameof(TensorType), $"TensorType ({TensorType}) is not a defined value.");
        }

        if (string.IsNullOrWhiteSpace(ModelName))
        {
            throw Invalid(nameof(ModelName), $"ModelName must not be empty.");
        }

        if (MetadataOverrides is null)
        {
            throw new ArgumentNullException(nameof(MetadataOverrides));
        }

        ArgumentNullException.ThrowIfNull(TensorTypeOverrides);
        foreach (KeyValuePair<string, int> pair in TensorTypeOverrides)
        {
            if (string.IsNullOrEmpty(pair.Key) || !Gguf.GgmlTypeLayout.IsKnown(pair.Value))
            {
                throw Invalid(nameof(TensorTypeOverrides), $"Tensor type override '{pair.Key}' = {pair.Value} needs a tensor name and a ggml type id this writer can lay out (0-3, 6-30, 34, 35 or 39).");
            }
        }

        foreach (KeyValuePair<string, object?> pair in MetadataOverrides)
        {
            if (string.IsNullOrEmpty(pair.Key))
            {
                throw Invalid(nameof(MetadataOverrides), $"Metadata override keys must not be empty.");
            }

            if (pair.Value is not null && Gguf.GgufMetadataEntry.TryFromObject(pair.Key, pair.Value) is null)
            {
                throw new ArgumentException(Gguf.GgufMetadataEntry.DescribeUnsupported(pair.Key, pair.Value), nameof(MetadataOverrides));
            }
        }
    }

    private static void RequireAtLeast(int value, int minimum, string name, string? why)
    {
        if (value < minimum)
        {
            string reason = why is null ? string.Empty : " (" + why + ")";
            throw Invalid(name, $"{name} is {value} but must be at least {minimum}{reason}.");
        }
    }

    private static ArgumentException Invalid(string name, FormattableString message) =>
        new(message.ToString(CultureInfo.InvariantCulture), name);
}
