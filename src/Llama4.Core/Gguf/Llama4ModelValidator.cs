using Llama4.Core.Gguf;

namespace Llama4.Core;

/// <summary>
/// Pre-flight checks of a Llama 4 GGUF file in managed code, before llama.cpp sees it: several malformed files abort
/// the whole process natively (zero experts, a zero sliding window, a zero MoE step...), which no exception handler
/// can catch. Every refusal is a <see cref="Llama4ModelValidationException"/> whose message names the key and the fix.
/// </summary>
internal static class Llama4ModelValidator
{
    /// <summary>llama.cpp's <c>LLAMA_MAX_EXPERTS</c> in LLamaSharp 0.30's build: one more aborts the process at load.</summary>
    internal const int MaxExperts = 512;

    /// <summary>llama.cpp's <c>LLAMA_MAX_LAYERS</c>: 0 or more layers abort the process at load.</summary>
    internal const int MaxLayers = 512;

    /// <summary>
    /// The smallest <c>llama4.context_length</c> that can serve a request. One user turn in the Llama 4 format
    /// (<c>&lt;|begin_of_text|&gt;&lt;|header_start|&gt;user&lt;|header_end|&gt;\n\n</c>, a message,
    /// <c>&lt;|eot|&gt;</c>, then <c>&lt;|header_start|&gt;assistant&lt;|header_end|&gt;\n\n</c>) is 11 tokens with
    /// Meta's vocabulary and at most 24 with any byte-level vocabulary (6 special tokens, the 17 bytes of "user",
    /// "assistant" and the two "\n\n", one message token); one output token makes 25. A model whose training context
    /// is smaller loads, and then every request overflows; 32 is the next power of two above 25.
    /// </summary>
    internal const int MinimumContextLength = 32;

    private const string Arch = "llama4";

    /// <summary>The values llama.cpp accepts for <c>rope.scaling.type</c>; any other aborts the process at load.</summary>
    private static readonly string[] RopeScalingTypes = ["none", "linear", "yarn", "longrope"];

    /// <summary>Reads and checks the model file at <paramref name="path"/>.</summary>
    /// <param name="path">The path of a <c>.gguf</c> file (the first shard of a split model).</param>
    /// <returns>What the file says about the model.</returns>
    /// <exception cref="Llama4ModelValidationException">The file cannot be used; <see cref="Llama4ModelValidationException.Problem"/> says why.</exception>
    public static Llama4ModelInfo Validate(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.FileNotFound,
                path ?? string.Empty,
                "No model path was given; pass the full path of a Llama 4 .gguf file.");
        }

        string fullPath = Path.GetFullPath(path);
        return Validate(GgufFile.Read(fullPath));
    }

    /// <summary>Checks an already read GGUF header (and the other shards of a split model, read from disk).</summary>
    /// <param name="file">The header.</param>
    /// <returns>What the file says about the model.</returns>
    /// <exception cref="Llama4ModelValidationException">The file cannot be used.</exception>
    internal static Llama4ModelInfo Validate(GgufFile file)
    {
        Llama4ModelShards shards = Llama4ModelShards.Read(file);
        var check = new GgufMetadataChecker(file, GgufFileKind.Model, shards.Tensors);
        string architecture = Architecture(check);

        int contextLength = check.RequiredInt(
            Arch + ".context_length",
            MinimumContextLength,
            GgufMetadataChecker.Format($"a Llama 4 prompt of one short user turn and the assistant header needs up to 24 tokens, and one more to answer, so llama.cpp would load the model and then refuse every request; the model needs a training context of at least {MinimumContextLength} tokens (Llama 4 models have 1M-10M). The file is damaged"));
        int embeddingLength = check.RequiredInt(Arch + ".embedding_length", 1, "the model width must be positive");
        int blockCount = check.RequiredInt(
            Arch + ".block_count",
            1,
            "llama.cpp aborts the process on a model without layers; re-export the model with its real layer count");
        if (blockCount > MaxLayers)
        {
            throw check.Invalid(
                Arch + ".block_count",
                $"is {blockCount}, but llama.cpp supports at most {MaxLayers} layers and aborts the process on more; check the file (it is probably damaged)");
        }

        int heads = Uniform(check, Arch + ".attention.head_count", check.RequiredPerLayer(Arch + ".attention.head_count", blockCount, "llama.cpp divides by the head count"));
        if (embeddingLength % heads != 0)
        {
            throw check.Invalid(
                Arch + ".attention.head_count",
                $"is {heads}, which does not divide {Arch}.embedding_length ({embeddingLength}) into whole heads; re-export the model with consistent shapes");
        }

        int[]? kvPerLayer = check.OptionalPerLayer(Arch + ".attention.head_count_kv", blockCount, "llama.cpp divides by the KV head count");
        int kvHeads = kvPerLayer is null ? heads : Uniform(check, Arch + ".attention.head_count_kv", kvPerLayer);
        if (heads % kvHeads != 0)
        {
            throw check.Invalid(
                Arch + ".attention.head_count_kv",
                $"is {kvHeads}, which does not divide {Arch}.attention.head_count ({heads}) (grouped-query attention needs a whole number of query heads per KV head); re-export the model with consistent shapes");
        }

        check.RequiredPositiveFloat(Arch + ".attention.layer_norm_rms_epsilon");

        int moeStep = check.RequiredInt(
            Arch + ".interleave_moe_layer_step",
            1,
            "layer i is a MoE layer when (i + 1) % step == 0, so the step must be at least 1; set it to 1 (every layer MoE, like Scout) or 2 (every other layer, like Maverick)");
        bool hasDenseLayers = moeStep > 1;
        int[] feedForward = check.RequiredPerLayer(
            Arch + ".feed_forward_length",
            blockCount,
            hasDenseLayers ? "the dense (non-MoE) layers need a width" : null);
        int expertFeedForward = check.RequiredInt(Arch + ".expert_feed_forward_length", 1, "the experts need a width");
        int expertCount = check.RequiredInt(
            Arch + ".expert_count",
            1,
            "llama.cpp aborts the process on such a file; re-export the model with expert_count > 0");
        if (expertCount > MaxExperts)
        {
            throw check.Invalid(
                Arch + ".expert_count",
                $"is {expertCount}, but llama.cpp supports at most {MaxExperts} experts and aborts the process on more (Llama 4 models have 16 or 128); check the file (it is probably damaged)");
        }

        int expertUsedCount = check.RequiredInt(
            Arch + ".expert_used_count",
            1,
            $"llama.cpp aborts the process on such a file; re-export the model with expert_used_count between 1 and expert_count ({expertCount})");
        if (expertUsedCount > expertCount)
        {
            throw check.Invalid(
                Arch + ".expert_used_count",
                $"is {expertUsedCount}, more than {Arch}.expert_count ({expertCount}): llama.cpp aborts the process on such a file; re-export the model with expert_used_count between 1 and expert_count");
        }

        if (check.OptionalInt(Arch + ".attention.sliding_window") == 0)
        {
            throw check.Invalid(
                Arch + ".attention.sliding_window",
                "is 0, which aborts llama.cpp at the first decode; remove the key or set it to the chunk size (8192)");
        }

        (int keyLength, int valueLength, int ropeDimensions) = HeadSizes(check, embeddingLength / heads);
        CheckRope(check);
        CheckStrings(check, file);

        IReadOnlyList<string> tokens = Llama4VocabularyValidator.Check(check);
        CheckVocabularySize(check, tokens.Count);
        var shape = new Llama4ModelShape
        {
            EmbeddingLength = embeddingLength,
            VocabularySize = tokens.Count,
            BlockCount = blockCount,
            HeadCount = heads,
            KvHeadCount = kvHeads,
            KeyLength = keyLength,
            ValueLength = valueLength,
            RopeDimensions = ropeDimensions,
            FeedForwardLengths = feedForward,
            ExpertFeedForwardLength = expertFeedForward,
            ExpertCount = expertCount,
            MoeLayerStep = moeStep,
        };
        int tensorCount = Llama4TensorValidator.Check(check, shape);
        shards.CheckTensorCount(tensorCount);

        return new Llama4ModelInfo
        {
            Path = file.Path,
            FileSizeBytes = shards.TotalBytes,
            ShardCount = shards.Count,
            GgufVersion = (int)file.Version,
            Name = check.OptionalString("general.name") is { Length: > 0 } name
                ? name
                : Path.GetFileNameWithoutExtension(file.Path),
            Architecture = architecture,
            TrainingContextLength = contextLength,
            EmbeddingLength = embeddingLength,
            BlockCount = blockCount,
            HeadCount = heads,
            KvHeadCount = kvHeads,
            KvHeadCountPerLayer = [.. Enumerable.Repeat(kvHeads, blockCount)],
            KeyLength = keyLength,
            ValueLength = valueLength,
            TensorDataBytes = shards.TensorDataBytes,
            ExpertCount = expertCount,
            ExpertUsedCount = expertUsedCount,

            // llama.cpp sizes every dense layer by layer 0's width; the tensors were checked against each layer's value.
            FeedForwardLength = hasDenseLayers ? Enumerable.Range(0, blockCount).Where(l => !shape.IsMoeLayer(l)).Max(l => feedForward[l]) : feedForward[0],
            ExpertFeedForwardLength = expertFeedForward,
            MoeLayerStep = moeStep,
            VocabularySize = tokens.Count,
            TensorCount = tensorCount,
            ChatTemplate = check.OptionalString("tokenizer.chat_template"),
            SamplingDefaults = new Llama4SamplingOptions
            {
                Temperature = SamplingFloat(check, "general.sampling.temp"),
                TopK = SamplingInt(check, "general.sampling.top_k"),
                TopP = SamplingFloat(check, "general.sampling.top_p"),
                MinP = SamplingFloat(check, "general.sampling.min_p"),
                RepeatPenalty = SamplingFloat(check, "general.sampling.penalty_repeat"),
                PenaltyLastTokens = SamplingInt(check, "general.sampling.penalty_last_n"),
            },
        };
    }

    private static string Architecture(GgufMetadataChecker check)
    {
        const string key = "general.architecture";
        if (!check.TryGetValue(key, out GgufMetadataValue value))
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.MissingMetadata,
                check.FilePath,
                $"The model file '{check.FilePath}' has no '{key}' key, so it is not a model llama.cpp can load; pass a Llama 4 GGUF file.");
        }

        string architecture = value.AsString ?? throw check.WrongType(key, value, "string");
        if (!string.Equals(architecture, Arch, StringComparison.Ordinal))
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.UnsupportedArchitecture,
                check.FilePath,
                $"The model file '{check.FilePath}' is a '{architecture}' model ('{key}'), but this library runs only 'llama4' models (Llama 4 Scout, Maverick and their fine-tunes); pass a Llama 4 GGUF file.");
        }

        return architecture;
    }

    /// <summary>
    /// A per-layer head count, which llama.cpp's llama4 loader takes from layer 0 only: it creates every layer's tensors
    /// and KV cache with layer 0's value, so a file whose layers differ (one flipped bit in an array) is damaged, and with
    /// differing KV head counts it aborts the process at load.
    /// </summary>
    private static int Uniform(GgufMetadataChecker check, string key, int[] values)
    {
        int first = values[0];
        int layer = Array.FindIndex(values, v => v != first);
        return layer < 0
            ? first
            : throw check.Invalid(key, GgufMetadataChecker.Format($"is {values[layer]} for layer {layer} but {first} for layer 0: llama.cpp builds every llama4 layer with layer 0's value (differing KV head counts abort the process at load), and Llama 4 uses one value for all layers, so the file is damaged"));
    }

    /// <summary>
    /// The key and value head sizes and the RoPE dimensions: each at least 1 (0 makes llama.cpp divide by zero and is
    /// a file defect, not a configuration one), equal to each other (llama.cpp's llama4 graph asserts it).
    /// </summary>
    private static (int Key, int Value, int Rope) HeadSizes(GgufMetadataChecker check, int defaultHeadSize)
    {
        const string why = "a head of size 0 cannot hold anything (llama.cpp divides by it); remove the key or set it to embedding_length / head_count";
        int keyLength = check.OptionalInt(Arch + ".attention.key_length", 1, why) ?? defaultHeadSize;
        int valueLength = check.OptionalInt(Arch + ".attention.value_length", 1, why) ?? defaultHeadSize;
        if (valueLength != keyLength)
        {
            throw check.Invalid(
                Arch + ".attention.value_length",
                GgufMetadataChecker.Format($"is {valueLength}, but the key head size is {keyLength}: llama.cpp's llama4 graph requires equal key and value head sizes and aborts the process otherwise; the file is damaged"));
        }

        int? ropeDimensions = check.OptionalInt(Arch + ".rope.dimension_count");
        if (ropeDimensions is { } rope && rope != keyLength)
        {
            throw check.Invalid(
                Arch + ".rope.dimension_count",
                $"is {rope}, but the head size is {keyLength} (embedding_length / head_count): llama.cpp aborts the process at the first decode unless they are equal; remove the key or set it to {keyLength}");
        }

        return (keyLength, valueLength, ropeDimensions ?? keyLength);
    }

    /// <summary>
    /// The RoPE keys llama.cpp reads for llama4: the scaling type (an unknown name aborts the process at load) and the
    /// numbers, which must be finite and in range: a NaN or infinite base or factor, or a base of 0 or below, fills
    /// every logit with NaN, and a grammar-constrained request then accepts a token the grammar forbids and aborts.
    /// </summary>
    private static void CheckRope(GgufMetadataChecker check)
    {
        const string scalingKey = Arch + ".rope.scaling.type";
        if (check.OptionalStrictString(scalingKey) is { } scaling && !RopeScalingTypes.Contains(scaling, StringComparer.Ordinal))
        {
            throw check.Invalid(
                scalingKey,
                $"is '{scaling}', but llama.cpp knows only {string.Join(", ", RopeScalingTypes.Select(t => "'" + t + "'"))} (in lower case) and aborts the process on any other value; Llama 4 GGUFs omit the key or use 'linear'. Remove the key or correct it");
        }

        // theta = position / factor * base^(-2i/d): a base below 1 makes the frequencies grow with the dimension (no
        // model does that) and near 0 overflows to infinity; a factor near 0 does the same through 1 / factor.
        const string damaged = "the file is damaged (RoPE would turn every logit into NaN, and a constrained request then aborts the process)";
        CheckNumber(check, Arch + ".rope.freq_base", minimum: 1, allowZero: false, "must be a finite number of at least 1 (500000 for Llama 4); " + damaged);
        CheckNumber(check, Arch + ".rope.scaling.factor", minimum: 1e-6, allowZero: true, "must be 0 (no scaling) or a finite number of at least 1e-6; " + damaged);
        CheckNumber(check, Arch + ".rope.scale_linear", minimum: 1e-6, allowZero: true, "must be 0 (no scaling) or a finite number of at least 1e-6; " + damaged);
        CheckNumber(check, Arch + ".rope.scaling.attn_factor", minimum: double.Epsilon, allowZero: false, "must be a finite number above 0 (1 by default); " + damaged);
        check.OptionalInt(Arch + ".rope.scaling.original_context_length", 1, "YaRN scaling divides by it; remove the key or set it to the original training context");
    }

    private static void CheckNumber(GgufMetadataChecker check, string key, double minimum, bool allowZero, string rule)
    {
        if (!check.TryGetValue(key, out GgufMetadataValue value))
        {
            return;
        }

        if (!value.TryGetDouble(out double number))
        {
            throw check.WrongType(key, value, "float32");
        }

        if (!double.IsFinite(number) || (number < minimum && !(number == 0 && allowZero)))
        {
            throw check.Invalid(key, GgufMetadataChecker.Format($"is {number}, but it {rule}"));
        }
    }

    /// <summary>
    /// Every key and string value must be non-empty: LLamaSharp 0.30 reads all metadata as text when it loads a model,
    /// and an empty one makes it throw <see cref="ArgumentNullException"/> (<c>SafeLlamaModelHandle.ReadMetadata</c>).
    /// </summary>
    private static void CheckStrings(GgufMetadataChecker check, GgufFile file)
    {
        foreach (string key in file.Keys)
        {
            if (key.Length == 0 || file.Metadata[key] is { Type: GgufValueType.String, Value: string { Length: 0 } })
            {
                throw check.Invalid(
                    key,
                    "is an empty string (or an empty key), which LLamaSharp 0.30 cannot read when it loads a model (it throws ArgumentNullException); remove the key or give it a value");
            }
        }
    }

    private static void CheckVocabularySize(GgufMetadataChecker check, int tokenCount)
    {
        const string key = Arch + ".vocab_size";
        if (check.OptionalInt(key) is { } declared && declared != tokenCount)
        {
            throw check.Invalid(
                key,
                GgufMetadataChecker.Format($"is {declared}, but 'tokenizer.ggml.tokens' has {tokenCount} tokens: the file is damaged (llama.cpp sizes the embeddings by the token list); download or convert the model again"));
        }
    }

    private static float? SamplingFloat(GgufMetadataChecker check, string key)
    {
        if (!check.TryGetValue(key, out GgufMetadataValue value))
        {
            return null;
        }

        double number;
        if (value.TryGetDouble(out double d))
        {
            number = d;
        }
        else if (value.TryGetInt64(out long l))
        {
            number = l;
        }
        else
        {
            return null;
        }

        return double.IsFinite(number) && number >= 0 && number <= float.MaxValue ? (float)number : null;
    }

    private static int? SamplingInt(GgufMetadataChecker check, string key)
    {
        if (!check.TryGetValue(key, out GgufMetadataValue value))
        {
            return null;
        }

        if (value.TryGetInt64(out long l))
        {
            return l is >= int.MinValue and <= int.MaxValue ? (int)l : null;
        }

        return value.TryGetDouble(out double d) && double.IsFinite(d) && Math.Round(d) == d && Math.Abs(d) <= int.MaxValue ? (int)d : null;
    }
}
