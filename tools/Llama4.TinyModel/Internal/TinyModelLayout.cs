using System.Globalization;
using Llama4.TinyModel.Gguf;

namespace Llama4.TinyModel.Internal;

/// <summary>Builds the metadata and tensor list of a tiny model from its options, in a fixed order.</summary>
internal static class TinyModelLayout
{
    /// <summary>The data alignment written when no override changes <c>general.alignment</c>.</summary>
    public const uint DefaultAlignment = 32;

    private const string Arch = "llama4";

    public static List<GgufMetadataEntry> BuildMetadata(TinyModelOptions options, TinyModelVocabulary vocabulary)
    {
        var entries = new List<GgufMetadataEntry>
        {
            GgufMetadataEntry.String("general.architecture", Arch),
            GgufMetadataEntry.String("general.name", options.ModelName),
            GgufMetadataEntry.UInt32("general.alignment", DefaultAlignment),
            GgufMetadataEntry.UInt32("general.file_type", options.TensorType == TinyModelTensorType.F16 ? 1u : 0u),
            GgufMetadataEntry.UInt32(Arch + ".vocab_size", (uint)vocabulary.Tokens.Count),
            GgufMetadataEntry.UInt32(Arch + ".context_length", (uint)options.ContextLength),
            GgufMetadataEntry.UInt32(Arch + ".embedding_length", (uint)options.EmbeddingLength),
            GgufMetadataEntry.UInt32(Arch + ".block_count", (uint)options.LayerCount),
            GgufMetadataEntry.UInt32(Arch + ".feed_forward_length", (uint)options.FeedForwardLength),
            GgufMetadataEntry.UInt32(Arch + ".expert_feed_forward_length", (uint)options.ExpertFeedForwardLength),
            GgufMetadataEntry.UInt32(Arch + ".expert_count", (uint)options.ExpertCount),
            GgufMetadataEntry.UInt32(Arch + ".expert_used_count", (uint)options.ExpertUsedCount),
            GgufMetadataEntry.UInt32(Arch + ".interleave_moe_layer_step", (uint)options.MoeLayerStep),
            GgufMetadataEntry.UInt32(Arch + ".attention.head_count", (uint)options.HeadCount),
            GgufMetadataEntry.UInt32(Arch + ".attention.head_count_kv", (uint)options.KvHeadCount),
            GgufMetadataEntry.Float32(Arch + ".attention.layer_norm_rms_epsilon", 1e-5f),
            GgufMetadataEntry.UInt32(Arch + ".rope.dimension_count", (uint)options.HeadDimension),
            GgufMetadataEntry.Float32(Arch + ".rope.freq_base", 500000f),
            GgufMetadataEntry.String("tokenizer.ggml.model", "gpt2"),
            GgufMetadataEntry.String("tokenizer.ggml.pre", "llama4"),
            GgufMetadataEntry.StringArray("tokenizer.ggml.tokens", [.. vocabulary.Tokens]),
            GgufMetadataEntry.Int32Array("tokenizer.ggml.token_type", [.. vocabulary.TokenTypes]),
            GgufMetadataEntry.StringArray("tokenizer.ggml.merges", [.. vocabulary.Merges]),
            GgufMetadataEntry.UInt32("tokenizer.ggml.bos_token_id", (uint)vocabulary.BeginOfTextId),
            GgufMetadataEntry.UInt32("tokenizer.ggml.eos_token_id", (uint)vocabulary.EndOfTurnId),
            GgufMetadataEntry.UInt32("tokenizer.ggml.eot_token_id", (uint)vocabulary.EndOfTurnId),
            GgufMetadataEntry.UInt32("tokenizer.ggml.eom_token_id", (uint)vocabulary.EndOfMessageId),
            GgufMetadataEntry.UInt32("tokenizer.ggml.padding_token_id", (uint)vocabulary.PaddingId),
            GgufMetadataEntry.Bool("tokenizer.ggml.add_bos_token", true),
            GgufMetadataEntry.Bool("tokenizer.ggml.add_eos_token", false),
            GgufMetadataEntry.String("tokenizer.chat_template", TinyModelChatTemplate.Text),
        };

        ApplyOverrides(entries, options.MetadataOverrides);
        return entries;
    }

    public static List<TensorSpec> BuildTensors(TinyModelOptions options, TinyModelVocabulary vocabulary)
    {
        bool f16 = options.TensorType == TinyModelTensorType.F16;
        long e = options.EmbeddingLength;
        long v = vocabulary.Tokens.Count;
        long q = (long)options.HeadCount * options.HeadDimension;
        long kv = (long)options.KvHeadCount * options.HeadDimension;
        long f = options.FeedForwardLength;
        long fx = options.ExpertFeedForwardLength;
        long x = options.ExpertCount;

        var tensors = new List<TensorSpec> { Matrix("token_embd.weight", f16, e, v) };
        for (int layer = 0; layer < options.LayerCount; layer++)
        {
            string p = string.Create(CultureInfo.InvariantCulture, $"blk.{layer}.");
            tensors.Add(Norm(p + "attn_norm.weight", e));
            tensors.Add(Matrix(p + "attn_q.weight", f16, e, q));
            tensors.Add(Matrix(p + "attn_k.weight", f16, e, kv));
            tensors.Add(Matrix(p + "attn_v.weight", f16, e, kv));
            tensors.Add(Matrix(p + "attn_output.weight", f16, q, e));
            tensors.Add(Norm(p + "ffn_norm.weight", e));
            if ((layer + 1) % options.MoeLayerStep == 0)
            {
                tensors.Add(Matrix(p + "ffn_gate_inp.weight", false, e, x));
                tensors.Add(Matrix(p + "ffn_gate_exps.weight", f16, e, fx, x));
                tensors.Add(Matrix(p + "ffn_up_exps.weight", f16, e, fx, x));
                tensors.Add(Matrix(p + "ffn_down_exps.weight", f16, fx, e, x));
                tensors.Add(Matrix(p + "ffn_gate_shexp.weight", f16, e, fx));
                tensors.Add(Matrix(p + "ffn_up_shexp.weight", f16, e, fx));
                tensors.Add(Matrix(p + "ffn_down_shexp.weight", f16, fx, e));
            }
            else
            {
                tensors.Add(Matrix(p + "ffn_gate.weight", f16, e, f));
                tensors.Add(Matrix(p + "ffn_up.weight", f16, e, f));
                tensors.Add(Matrix(p + "ffn_down.weight", f16, f, e));
            }
        }

        tensors.Add(Norm("output_norm.weight", e));
        if (!options.TiedOutput)
        {
            tensors.Add(Matrix("output.weight", f16, e, v));
        }

        ApplyTypeOverrides(tensors, options.TensorTypeOverrides);
        return tensors;
    }

    private static void ApplyTypeOverrides(List<TensorSpec> tensors, IReadOnlyDictionary<string, int> overrides)
    {
        foreach (KeyValuePair<string, int> pair in overrides)
        {
            int index = tensors.FindIndex(t => string.Equals(t.Name, pair.Key, StringComparison.Ordinal));
            if (index < 0)
            {
                throw new ArgumentException($"Tensor type override '{pair.Key}' names no tensor of this model.", nameof(overrides));
            }

            TensorSpec tensor = tensors[index];
            if (tensor.Dimensions[0] % GgmlTypeLayout.BlockSize(pair.Value) != 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Tensor type override '{pair.Key}' = {pair.Value}: rows of {tensor.Dimensions[0]} elements are not a multiple of that type's block ({GgmlTypeLayout.BlockSize(pair.Value)})."),
                    nameof(overrides));
            }

            tensors[index] = pair.Value switch
            {
                0 => tensor with { IsF16 = false },
                1 => tensor with { IsF16 = true },
                _ => tensor with { OtherType = pair.Value },
            };
        }
    }

    /// <summary>The alignment the data must use: an override of <c>general.alignment</c> when it is a valid u32.</summary>
    public static uint ResolveAlignment(IReadOnlyList<GgufMetadataEntry> metadata)
    {
        GgufMetadataEntry? entry = metadata.FirstOrDefault(m => string.Equals(m.Key, "general.alignment", StringComparison.Ordinal));
        return entry is { Type: GgufValueType.UInt32, Value: uint value } && value > 0 && (value & (value - 1)) == 0
            ? value
            : DefaultAlignment;
    }

    /// <summary>Applies metadata overrides in key order: a null value removes the key, others replace or add it.</summary>
    internal static void ApplyOverrides(List<GgufMetadataEntry> entries, IReadOnlyDictionary<string, object?> overrides)
    {
        foreach (KeyValuePair<string, object?> pair in overrides.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            int index = entries.FindIndex(m => string.Equals(m.Key, pair.Key, StringComparison.Ordinal));
            if (pair.Value is null)
            {
                if (index >= 0)
                {
                    entries.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                entries[index] = GgufMetadataEntry.FromObject(pair.Key, pair.Value);
            }
            else
            {
                entries.Add(GgufMetadataEntry.FromObject(pair.Key, pair.Value));
            }
        }
    }

    private static TensorSpec Norm(string name, long width) => new(name, [width], false, TensorFill.Ones);

    private static TensorSpec Matrix(string name, bool f16, params long[] dimensions) => new(name, dimensions, f16, TensorFill.Normal);
}
