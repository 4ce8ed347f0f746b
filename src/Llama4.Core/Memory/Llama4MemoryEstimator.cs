using System.Globalization;

namespace Llama4.Core;

/// <summary>
/// Estimates the memory a Llama 4 model needs for given <see cref="Llama4EngineOptions"/> without loading it: the
/// weights, the KV cache of the global and the chunked-attention layers, and llama.cpp's buffers. Everything comes from
/// the model file's metadata; the KV cache and buffer layouts follow the llama.cpp build this library ships with and were
/// checked against the sizes it allocates (docs/context-management.md).
/// </summary>
public static class Llama4MemoryEstimator
{
    /// <summary>
    /// The attention chunk of the chunked-attention layers, in tokens (llama.cpp's <c>n_swa</c> for <c>llama4</c>). llama.cpp
    /// sets it for the architecture; a file's <c>llama4.attention.sliding_window</c> does not change it.
    /// </summary>
    public const int AttentionChunkSize = 8192;

    /// <summary>Every 4th layer (index % 4 == 3) is a global no-RoPE layer; llama.cpp hard-codes the pattern for llama4.</summary>
    private const int GlobalLayerInterval = 4;

    /// <summary>llama.cpp rounds context and SWA cache sizes up to a multiple of 256 cells.</summary>
    private const int CellPadding = 256;

    // The activation terms of the compute-buffer estimate, in bytes per micro-batch token and per unit of a model
    // dimension: an empirical fit over 364 configurations of generated models (see Llama4MemoryEstimate.ComputeBufferBytes).
    // The other terms (masks, attention scores, logits) are llama.cpp's tensor sizes.
    private const long AttentionBytesPerEmbedding = 23;
    private const long AttentionBytesPerKvWidth = 2;
    private const long FeedForwardBytesPerDenseWidth = 8;
    private const long FeedForwardBytesPerExpertWidth = 14;
    private const long FeedForwardBytesPerEmbedding = 14;
    private const long OutputBytesPerEmbedding = 22;

    /// <summary>Reads the model file named by <see cref="Llama4EngineOptions.ModelPath"/> and estimates its memory.</summary>
    /// <param name="options">The engine options, including the model path.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid, or the model cannot run with it; the message names each problem and its fix.</exception>
    /// <exception cref="Llama4ModelValidationException">The file is missing, not a GGUF, truncated or not a Llama 4 model.</exception>
    public static Llama4MemoryEstimate Estimate(Llama4EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options.Validate(), nameof(options));
        return Estimate(Llama4ModelValidator.Validate(options.ModelPath), options);
    }

    /// <summary>Estimates the memory of an already read model with the given engine options.</summary>
    /// <param name="model">The model, for example <see cref="Llama4Engine.Model"/> of a loaded engine.</param>
    /// <param name="options">The engine options; <see cref="Llama4EngineOptions.ModelPath"/> is not used.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid, or the model cannot run with it; the message names each problem and its fix.</exception>
    public static Llama4MemoryEstimate Estimate(Llama4ModelInfo model, Llama4EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);

        var modelErrors = new List<string>();
        CheckModel(model, modelErrors);
        ThrowIfInvalid(modelErrors, nameof(model));

        // The engine's own option checks (the path is not needed here), then the cache types this model can use.
        var copy = options.Clone();
        copy.ModelPath = "-";
        var errors = new List<string>(copy.Validate());
        CheckCacheTypes(model, options, errors);
        ThrowIfInvalid(errors, nameof(options));
        return Compute(model, options);
    }

    private static Llama4MemoryEstimate Compute(Llama4ModelInfo model, Llama4EngineOptions options)
    {
        int sequences = options.MaxParallelSequences;
        bool unified = options.UnifiedKvCache;

        // llama_context: the engine clamps to the training context; llama.cpp pads to 256 and, with one stream per
        // sequence, gives each stream a padded share and makes the total a multiple of it.
        // The batch sizes are clamped to the padded context before the streams' rounding.
        long context = Pad(Math.Min(options.ContextSize, model.TrainingContextLength));
        long batch = Math.Min(context, options.BatchSize);
        long microBatch = Math.Min(batch, options.MicroBatchSize);
        long sequenceContext = context;
        if (!unified)
        {
            sequenceContext = Pad(context / sequences);
            context = sequenceContext * sequences;
        }

        if (context > int.MaxValue)
        {
            throw new ArgumentException(Format($"Cannot estimate the memory of this configuration: ContextSize {options.ContextSize} rounds up to {context} cells, more than llama.cpp can address; lower ContextSize."), nameof(options));
        }

        int streams = unified ? 1 : sequences;

        // llama_kv_cache_iswa: the chunked layers need the current chunk of every sequence sharing a stream plus one micro-batch.
        long chunkedCells = options.FullSizeSwaCache
            ? sequenceContext
            : Pad(Math.Min(sequenceContext, ((long)AttentionChunkSize * (unified ? sequences : 1)) + microBatch));

        var global = new CacheTotals();
        var chunked = new CacheTotals();
        for (int layer = 0; layer < model.BlockCount; layer++)
        {
            int kvHeads = model.KvHeadCountPerLayer.Count == model.BlockCount ? model.KvHeadCountPerLayer[layer] : model.KvHeadCount;
            long keyRow = RowBytes(options.KeyCacheType, (long)model.KeyLength * kvHeads);
            long valueRow = RowBytes(options.ValueCacheType, (long)model.ValueLength * kvHeads);
            (layer % GlobalLayerInterval == GlobalLayerInterval - 1 ? global : chunked).Add(keyRow, valueRow);
        }

        bool flashAttention = ResolveFlashAttention(options);
        long globalCells = global.Layers > 0 ? sequenceContext : 0;
        long chunkedCellsUsed = chunked.Layers > 0 ? chunkedCells : 0;
        long computeTokens = RoundUp(microBatch, sequences);
        long computePerToken = ComputeBytesPerToken(model, flashAttention, globalCells, chunkedCellsUsed);

        return new Llama4MemoryEstimate
        {
            ContextSize = checked((int)context),
            SequenceContextSize = checked((int)sequenceContext),
            FlashAttention = flashAttention,
            WeightsBytes = model.TensorDataBytes,
            GlobalKvCache = global.ToEstimate(checked((int)sequenceContext), streams),
            ChunkedKvCache = chunked.ToEstimate(checked((int)chunkedCells), streams),
            ComputeBufferBytes = checked(computeTokens * computePerToken),
            OutputBufferBytes = 4L * model.VocabularySize * sequences,
        };
    }

    /// <summary>
    /// The compute buffer per micro-batch token: the largest of the attention, feed-forward and logits phases. The masks
    /// (F32, or F16 with flash attention, one per cache), the attention scores (F32, heads x the largest cache, without
    /// flash attention) and the logits (F32, vocabulary) are llama.cpp's tensor sizes; the activation terms are a fit.
    /// </summary>
    private static long ComputeBytesPerToken(Llama4ModelInfo model, bool flashAttention, long globalCells, long chunkedCells)
    {
        long width = model.EmbeddingLength;
        long masks = (flashAttention ? 2L : 4L) * (globalCells + chunkedCells);
        long scores = flashAttention ? 0 : 4L * model.HeadCount * Math.Max(globalCells, chunkedCells);
        long denseWidth = model.MoeLayerStep > 1 ? model.FeedForwardLength : 0;
        long expertWidth = (long)model.ExpertFeedForwardLength * model.ExpertUsedCount;

        long attention = masks + scores + (AttentionBytesPerEmbedding * width) + (AttentionBytesPerKvWidth * model.KvHeadCount * model.KeyLength);
        long feedForward = masks + (FeedForwardBytesPerDenseWidth * denseWidth) + (FeedForwardBytesPerExpertWidth * expertWidth) + (FeedForwardBytesPerEmbedding * width);
        long output = (4L * model.VocabularySize) + (OutputBytesPerEmbedding * width);
        return Math.Max(attention, Math.Max(feedForward, output));
    }

    /// <summary>Resolves <see cref="Llama4FlashAttentionMode.Auto"/> as the engine does; an unknown backend is taken to be the CPU.</summary>
    private static bool ResolveFlashAttention(Llama4EngineOptions options) => options.FlashAttention switch
    {
        Llama4FlashAttentionMode.Enabled => true,
        Llama4FlashAttentionMode.Disabled => false,
        _ => Llama4EngineOptions.IsQuantized(options.ValueCacheType)
            || (options.Backend == Llama4Backend.Cuda && options.GpuLayerCount is not 0),
    };

    private static void CheckModel(Llama4ModelInfo model, List<string> errors)
    {
        // A validated file always passes; this guards against a model description that llama.cpp could not run.
        if (model.BlockCount < 1 || model.EmbeddingLength < 1 || model.HeadCount < 1 || model.KvHeadCount < 1
            || model.KeyLength < 1 || model.ValueLength < 1 || model.VocabularySize < 1 || model.TrainingContextLength < 1
            || model.ExpertFeedForwardLength < 1 || model.ExpertUsedCount < 1 || model.MoeLayerStep < 1 || model.TensorDataBytes < 0)
        {
            errors.Add(Format($"The model '{model.Name}' has an impossible shape (layers {model.BlockCount}, width {model.EmbeddingLength}, heads {model.HeadCount}/{model.KvHeadCount}, head sizes {model.KeyLength}/{model.ValueLength}, vocabulary {model.VocabularySize}); read it with Llama4MemoryEstimator.Estimate(options) or take it from a loaded engine."));
        }
    }

    private static void CheckCacheTypes(Llama4ModelInfo model, Llama4EngineOptions options, List<string> errors)
    {
        bool flashAttention = ResolveFlashAttention(options);
        CheckCacheType(model, nameof(Llama4EngineOptions.KeyCacheType), options.KeyCacheType, model.KeyLength, "key", flashAttention, errors);
        CheckCacheType(model, nameof(Llama4EngineOptions.ValueCacheType), options.ValueCacheType, model.ValueLength, "value", flashAttention, errors);
    }

    private static void CheckCacheType(Llama4ModelInfo model, string option, Llama4KvCacheType type, int headSize, string what, bool flashAttention, List<string> errors)
    {
        if (!Enum.IsDefined(type))
        {
            errors.Add(Format($"{option} {type} is not a known cache type; use F16, BF16, F32, Q8_0 or Q4_0."));
            return;
        }

        (int blockSize, _) = Layout(type);
        if (blockSize == 1)
        {
            return;
        }

        if (flashAttention && headSize % blockSize != 0)
        {
            // llama.cpp refuses to create the context ("block size does not divide n_embd_head"); LLamaSharp does not
            // notice, and the first decode then crashes the process.
            errors.Add(Format($"{option} {type} stores blocks of {blockSize} values, which do not divide the model's {what} head size ({headSize}), and flash attention needs whole blocks per head; use F16 or BF16 for this model."));
            return;
        }

        IEnumerable<int> kvHeads = model.KvHeadCountPerLayer.Count > 0 ? model.KvHeadCountPerLayer.Distinct() : [model.KvHeadCount];
        if (kvHeads.Any(heads => (long)headSize * heads % blockSize != 0))
        {
            errors.Add(Format($"{option} {type} stores blocks of {blockSize} values, which do not divide the model's {what} rows ({headSize} x the KV heads of a layer); use F16 or BF16 for this model."));
        }
    }

    private static void ThrowIfInvalid(IReadOnlyList<string> errors, string parameter)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException("Cannot estimate the memory of this configuration: " + string.Join(" ", errors), parameter);
        }
    }

    /// <summary>The bytes of one row of <paramref name="values"/> values: ggml's block layout of the type.</summary>
    private static long RowBytes(Llama4KvCacheType type, long values)
    {
        (int blockSize, int blockBytes) = Layout(type);
        return values / blockSize * blockBytes;
    }

    /// <summary>ggml's block layout (values per block, bytes per block) of a cache type.</summary>
    private static (int BlockSize, int BlockBytes) Layout(Llama4KvCacheType type) => type switch
    {
        Llama4KvCacheType.F32 => (1, 4),
        Llama4KvCacheType.F16 or Llama4KvCacheType.BF16 => (1, 2),
        Llama4KvCacheType.Q8_0 => (32, 34),
        Llama4KvCacheType.Q4_0 => (32, 18),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown KV cache type."),
    };

    private static long Pad(long value) => RoundUp(value, CellPadding);

    private static long RoundUp(long value, long multiple) => (value + multiple - 1) / multiple * multiple;

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Per-cell row sizes summed over the layers of one cache.</summary>
    private sealed class CacheTotals
    {
        public int Layers { get; private set; }

        private long KeyRowBytes { get; set; }

        private long ValueRowBytes { get; set; }

        public void Add(long keyRow, long valueRow)
        {
            Layers++;
            KeyRowBytes += keyRow;
            ValueRowBytes += valueRow;
        }

        public Llama4KvCacheEstimate ToEstimate(int cells, int streams) => new()
        {
            LayerCount = Layers,
            Cells = Layers > 0 ? cells : 0,
            Streams = streams,
            KeyBytes = Layers > 0 ? checked(KeyRowBytes * cells * streams) : 0,
            ValueBytes = Layers > 0 ? checked(ValueRowBytes * cells * streams) : 0,
            BytesPerToken = KeyRowBytes + ValueRowBytes,
        };
    }
}
