using System.Globalization;
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

    private const string Arch = "llama4";

    private static readonly string[] RequiredSpecialTokens =
    [
        Llama4SpecialTokens.BeginOfText,
        Llama4SpecialTokens.HeaderStart,
        Llama4SpecialTokens.HeaderEnd,
        Llama4SpecialTokens.EndOfTurn,
    ];

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

    /// <summary>Checks an already read GGUF header.</summary>
    /// <param name="file">The header.</param>
    /// <returns>What the file says about the model.</returns>
    /// <exception cref="Llama4ModelValidationException">The file cannot be used.</exception>
    internal static Llama4ModelInfo Validate(GgufFile file)
    {
        var check = new Checker(file);
        (int shardCount, long totalBytes, int? splitTensors, long tensorDataBytes) = check.Shards();
        string architecture = check.Architecture();

        int contextLength = check.RequiredInt(Arch + ".context_length", 1, "the model's training context must be positive");
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

        int[] heads = check.RequiredPerLayer(Arch + ".attention.head_count", blockCount, "llama.cpp divides by the head count");
        foreach (int h in heads.Distinct())
        {
            if (embeddingLength % h != 0)
            {
                throw check.Invalid(
                    Arch + ".attention.head_count",
                    $"is {h}, which does not divide {Arch}.embedding_length ({embeddingLength}) into whole heads; re-export the model with consistent shapes");
            }
        }

        int[] kvHeads = check.OptionalPerLayer(Arch + ".attention.head_count_kv", blockCount, "llama.cpp divides by the KV head count") ?? heads;
        for (int layer = 0; layer < blockCount; layer++)
        {
            if (heads[layer] % kvHeads[layer] != 0)
            {
                throw check.Invalid(
                    Arch + ".attention.head_count_kv",
                    $"is {kvHeads[layer]}, which does not divide {Arch}.attention.head_count ({heads[layer]}) (grouped-query attention needs a whole number of query heads per KV head); re-export the model with consistent shapes");
            }
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

        int? slidingWindow = check.OptionalInt(Arch + ".attention.sliding_window");
        if (slidingWindow == 0)
        {
            throw check.Invalid(
                Arch + ".attention.sliding_window",
                "is 0, which aborts llama.cpp at the first decode; remove the key or set it to the chunk size (8192)");
        }

        int? keyLength = check.OptionalInt(Arch + ".attention.key_length");
        int headDimension = keyLength ?? (embeddingLength / heads[0]);
        int valueLength = check.OptionalInt(Arch + ".attention.value_length") ?? (embeddingLength / heads[0]);
        int? ropeDimensions = check.OptionalInt(Arch + ".rope.dimension_count");
        if (ropeDimensions is { } rope && rope != headDimension)
        {
            throw check.Invalid(
                Arch + ".rope.dimension_count",
                $"is {rope}, but the head size is {headDimension} (embedding_length / head_count): llama.cpp aborts the process at the first decode unless they are equal; remove the key or set it to {headDimension}");
        }

        IReadOnlyList<string> tokens = check.Tokenizer();

        return new Llama4ModelInfo
        {
            Path = file.Path,
            FileSizeBytes = totalBytes,
            ShardCount = shardCount,
            GgufVersion = (int)file.Version,
            Name = check.OptionalString("general.name") is { Length: > 0 } name
                ? name
                : Path.GetFileNameWithoutExtension(file.Path),
            Architecture = architecture,
            TrainingContextLength = contextLength,
            EmbeddingLength = embeddingLength,
            BlockCount = blockCount,
            HeadCount = heads.Max(),
            KvHeadCount = kvHeads.Max(),
            KvHeadCountPerLayer = kvHeads,
            KeyLength = headDimension,
            ValueLength = valueLength,
            TensorDataBytes = tensorDataBytes,
            ExpertCount = expertCount,
            ExpertUsedCount = expertUsedCount,
            FeedForwardLength = feedForward.Max(),
            ExpertFeedForwardLength = expertFeedForward,
            MoeLayerStep = moeStep,
            VocabularySize = tokens.Count,
            TensorCount = splitTensors ?? file.Tensors.Count,
            ChatTemplate = check.OptionalString("tokenizer.chat_template"),
            SamplingDefaults = new Llama4SamplingOptions
            {
                Temperature = check.SamplingFloat("general.sampling.temp"),
                TopK = NonNegative(check.SamplingInt("general.sampling.top_k")),
                TopP = check.SamplingFloat("general.sampling.top_p"),
                MinP = check.SamplingFloat("general.sampling.min_p"),
                RepeatPenalty = check.SamplingFloat("general.sampling.penalty_repeat"),
                PenaltyLastTokens = NonNegative(check.SamplingInt("general.sampling.penalty_last_n")),
            },
        };
    }

    /// <summary>
    /// A negative <c>top_k</c> or <c>penalty_last_n</c> is llama.cpp's "off" or "whole context": read as unset, so that
    /// Meta's defaults apply instead and requests never fail on the file's choice.
    /// </summary>
    private static int? NonNegative(int? value) => value is >= 0 ? value : null;

    /// <summary>The key-by-key checks over one file, each refusal naming the key.</summary>
    private sealed class Checker
    {
        private readonly GgufFile _file;

        public Checker(GgufFile file)
        {
            _file = file;
        }

        private string FilePath => _file.Path;

        public (int ShardCount, long TotalBytes, int? TensorCount, long TensorDataBytes) Shards()
        {
            int? count = OptionalInt("split.count");
            int index = OptionalInt("split.no") ?? 0;
            int? tensors = OptionalInt("split.tensors.count");
            long tensorData = GgufTensorData.MappedBytes(_file);
            if (count is null || count <= 1)
            {
                return (1, _file.FileLength, tensors, tensorData);
            }

            if (index != 0)
            {
                throw new Llama4ModelValidationException(
                    Llama4ModelProblem.InvalidMetadata,
                    FilePath,
                    Format($"The model file '{FilePath}' is shard {index + 1} of {count} of a split model ('split.no' = {index}); pass the first shard instead (its name ends in -00001-of-{count:D5}.gguf)."));
            }

            string suffix = Format($"-00001-of-{count:D5}.gguf");
            if (!FilePath.EndsWith(suffix, StringComparison.Ordinal))
            {
                throw new Llama4ModelValidationException(
                    Llama4ModelProblem.InvalidMetadata,
                    FilePath,
                    Format($"The model file '{FilePath}' is the first of {count} shards ('split.count'), but its name does not end in '{suffix}', which llama.cpp needs to find the other shards; restore the shards' original names."));
            }

            string prefix = FilePath[..^suffix.Length];
            long total = _file.FileLength;
            for (int i = 2; i <= count; i++)
            {
                string shard = Format($"{prefix}-{i:D5}-of-{count:D5}.gguf");
                var info = new FileInfo(shard);
                if (!info.Exists)
                {
                    throw new Llama4ModelValidationException(
                        Llama4ModelProblem.FileNotFound,
                        FilePath,
                        Format($"Shard {i} of {count} of the split model '{FilePath}' is missing: expected '{shard}'; download every shard into the same folder."));
                }

                total += info.Length;
                tensorData += GgufTensorData.MappedBytes(GgufFile.Read(shard));
            }

            return (count.Value, total, tensors, tensorData);
        }

        public string Architecture()
        {
            const string key = "general.architecture";
            if (!_file.TryGetValue(key, out GgufMetadataValue? value))
            {
                throw new Llama4ModelValidationException(
                    Llama4ModelProblem.MissingMetadata,
                    FilePath,
                    $"The model file '{FilePath}' has no '{key}' key, so it is not a model llama.cpp can load; pass a Llama 4 GGUF file.");
            }

            string architecture = value.AsString ?? throw WrongType(key, value, "string");
            if (!string.Equals(architecture, Arch, StringComparison.Ordinal))
            {
                throw new Llama4ModelValidationException(
                    Llama4ModelProblem.UnsupportedArchitecture,
                    FilePath,
                    $"The model file '{FilePath}' is a '{architecture}' model ('{key}'), but this library runs only 'llama4' models (Llama 4 Scout, Maverick and their fine-tunes); pass a Llama 4 GGUF file.");
            }

            return architecture;
        }

        public IReadOnlyList<string> Tokenizer()
        {
            const string modelKey = "tokenizer.ggml.model";
            const string tokensKey = "tokenizer.ggml.tokens";
            string model = OptionalString(modelKey) ?? throw Missing(modelKey);
            if (!string.Equals(model, "gpt2", StringComparison.Ordinal))
            {
                throw new Llama4ModelValidationException(
                    Llama4ModelProblem.NotLlama4Tokenizer,
                    FilePath,
                    $"The model file '{FilePath}' has a '{model}' tokenizer ('{modelKey}'), but Llama 4 uses a byte-level BPE tokenizer ('gpt2'); use a GGUF converted from a Llama 4 checkpoint.");
            }

            if (!_file.TryGetValue(tokensKey, out GgufMetadataValue? value))
            {
                throw Missing(tokensKey);
            }

            IReadOnlyList<string> tokens = value.AsStringArray ?? throw WrongType(tokensKey, value, "an array of strings");
            if (tokens.Count == 0)
            {
                throw Invalid(tokensKey, "is empty; re-export the model with its tokenizer");
            }

            var missing = new List<string>(RequiredSpecialTokens);
            foreach (string token in tokens)
            {
                if (token.Length > 4 && token[0] == '<' && token[1] == '|')
                {
                    missing.Remove(token);
                    if (missing.Count == 0)
                    {
                        break;
                    }
                }
            }

            if (missing.Count > 0)
            {
                throw new Llama4ModelValidationException(
                    Llama4ModelProblem.NotLlama4Tokenizer,
                    FilePath,
                    $"The tokenizer of '{FilePath}' ('{tokensKey}') lacks the Llama 4 special token(s) {string.Join(", ", missing)}, so it is not a Llama 4 tokenizer and the Llama 4 chat format cannot be written; use a GGUF converted from a Llama 4 instruct checkpoint.");
            }

            CheckParallelArray("tokenizer.ggml.token_type", GgufValueType.Int32, tokens.Count);
            CheckParallelArray("tokenizer.ggml.scores", GgufValueType.Float32, tokens.Count);
            if (_file.TryGetValue("tokenizer.ggml.merges", out GgufMetadataValue? merges) && merges.AsStringArray is null)
            {
                throw WrongType("tokenizer.ggml.merges", merges, "an array of strings");
            }

            return tokens;
        }

        public int RequiredInt(string key, int minimum, string? why)
        {
            if (!_file.TryGetValue(key, out GgufMetadataValue? value))
            {
                throw Missing(key);
            }

            return CheckMinimum(key, ToInt(key, value), minimum, why);
        }

        public int? OptionalInt(string key) =>
            _file.TryGetValue(key, out GgufMetadataValue? value) ? ToInt(key, value) : null;

        /// <summary>A key llama.cpp reads as "scalar or one value per layer" (head counts, FFN width).</summary>
        public int[] RequiredPerLayer(string key, int blockCount, string? whyPositive) =>
            OptionalPerLayer(key, blockCount, whyPositive) ?? throw Missing(key);

        public int[]? OptionalPerLayer(string key, int blockCount, string? whyPositive)
        {
            if (!_file.TryGetValue(key, out GgufMetadataValue? value))
            {
                return null;
            }

            int[] values;
            if (value.IsArray)
            {
                if (!value.TryGetInt64Array(out long[] raw))
                {
                    throw WrongType(key, value, "an integer or an array of integers");
                }

                if (raw.Length != blockCount)
                {
                    throw Invalid(key, $"has {raw.Length} per-layer values but the model has {blockCount} layers; re-export the model");
                }

                values = raw.Select(v => Narrow(key, v)).ToArray();
            }
            else
            {
                values = Enumerable.Repeat(ToInt(key, value), blockCount).ToArray();
            }

            if (whyPositive is not null)
            {
                foreach (int v in values)
                {
                    CheckMinimum(key, v, 1, whyPositive);
                }
            }

            return values;
        }

        public void RequiredPositiveFloat(string key)
        {
            if (!_file.TryGetValue(key, out GgufMetadataValue? value))
            {
                throw Missing(key);
            }

            if (!value.TryGetDouble(out double number))
            {
                throw WrongType(key, value, "float32");
            }

            if (!double.IsFinite(number) || number <= 0)
            {
                throw Invalid(key, Format($"is {number}, but it must be a positive number (typically 1e-5); re-export the model"));
            }
        }

        public string? OptionalString(string key) =>
            _file.TryGetValue(key, out GgufMetadataValue? value) ? value.AsString : null;

        public float? SamplingFloat(string key)
        {
            if (!_file.TryGetValue(key, out GgufMetadataValue? value))
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

        public int? SamplingInt(string key)
        {
            if (!_file.TryGetValue(key, out GgufMetadataValue? value))
            {
                return null;
            }

            if (value.TryGetInt64(out long l))
            {
                return l is >= int.MinValue and <= int.MaxValue ? (int)l : null;
            }

            return value.TryGetDouble(out double d) && double.IsFinite(d) && Math.Round(d) == d && Math.Abs(d) <= int.MaxValue ? (int)d : null;
        }

        public Llama4ModelValidationException Invalid(string key, string detail) => new(
            Llama4ModelProblem.InvalidMetadata,
            FilePath,
            $"The model file '{FilePath}' has an invalid '{key}': it {detail}.");

        private void CheckParallelArray(string key, GgufValueType elementType, int tokenCount)
        {
            if (!_file.TryGetValue(key, out GgufMetadataValue? value))
            {
                return;
            }

            // llama.cpp reads these arrays as raw int32/float32 data indexed by token id: another element type or a
            // shorter array makes it read garbage or past the end.
            if (!value.IsArray || value.ElementType != elementType)
            {
                throw WrongType(key, value, "an array of " + GgufMetadataValue.Name(elementType));
            }

            if (value.ArrayLength != tokenCount)
            {
                throw Invalid(key, Format($"has {value.ArrayLength} entries but 'tokenizer.ggml.tokens' has {tokenCount}; re-export the model so that they agree"));
            }
        }

        private int CheckMinimum(string key, int value, int minimum, string? why)
        {
            if (value < minimum)
            {
                string reason = why ?? "it must be positive";
                throw Invalid(key, Format($"is {value}: {reason}"));
            }

            return value;
        }

        private int ToInt(string key, GgufMetadataValue value)
        {
            if (!value.TryGetInt64(out long number))
            {
                throw WrongType(key, value, "an integer (uint32)");
            }

            return Narrow(key, number);
        }

        private int Narrow(string key, long number)
        {
            if (number is < int.MinValue or > int.MaxValue)
            {
                throw Invalid(key, Format($"is {number}, which is out of range for llama.cpp; check the file (it is probably damaged)"));
            }

            return (int)number;
        }

        private Llama4ModelValidationException Missing(string key) => new(
            Llama4ModelProblem.MissingMetadata,
            FilePath,
            $"The model file '{FilePath}' has no '{key}' key, which llama.cpp requires for a llama4 model; re-export the model with a current llama.cpp converter (convert_hf_to_gguf.py).");

        private Llama4ModelValidationException WrongType(string key, GgufMetadataValue value, string expected) => new(
            Llama4ModelProblem.InvalidMetadata,
            FilePath,
            $"The model file '{FilePath}' stores '{key}' as {value.TypeName}, but {expected} is expected; re-export the model with a current llama.cpp converter.");

        private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
