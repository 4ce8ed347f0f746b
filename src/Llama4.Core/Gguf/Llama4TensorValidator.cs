using System.Globalization;

namespace Llama4.Core.Gguf;

/// <summary>
/// Checks a llama4 model's tensors against its metadata, as llama.cpp's loader will, and the tensor types against what
/// its CPU kernels can run. llama.cpp itself refuses a missing or misshapen tensor only after the engine has sized its
/// memory from the metadata (a corrupted width then reads as a multi-terabyte <see cref="InsufficientMemoryException"/>),
/// and it accepts types it cannot run: an integer or F64 matrix crashes the process at the first request (SIGSEGV), a
/// norm weight that is not F32 aborts it. So the whole tensor set is checked here, before any native call.
/// </summary>
internal static class Llama4TensorValidator
{
    private const string Arch = "llama4.";

    /// <summary>Checks every tensor; returns the expected tensor count.</summary>
    /// <param name="check">The checker over the file (with the tensors of every shard).</param>
    /// <param name="shape">The widths the metadata declares.</param>
    /// <returns>The number of tensors the model has.</returns>
    /// <exception cref="Llama4ModelValidationException">A tensor is missing, misshapen, unexpected or of a type the kernels cannot run (<see cref="Llama4ModelProblem.InvalidTensor"/>).</exception>
    public static int Check(GgufMetadataChecker check, Llama4ModelShape shape)
    {
        long e = shape.EmbeddingLength;
        long v = shape.VocabularySize;
        long q = (long)shape.KeyLength * shape.HeadCount;
        long k = (long)shape.KeyLength * shape.KvHeadCount;
        long kv = (long)shape.ValueLength * shape.KvHeadCount;
        long fx = shape.ExpertFeedForwardLength;
        long x = shape.ExpertCount;
        string width = Because(("embedding_length", e));
        string vocabulary = width + ", " + Invariant($"{v} tokens in tokenizer.ggml.tokens");
        string heads = width + ", " + Because(("attention.head_count", shape.HeadCount), ("head size", shape.KeyLength));
        string kvHeads = width + ", " + Because(("attention.head_count_kv", shape.KvHeadCount), ("head size", shape.KeyLength));
        string experts = width + ", " + Because(("expert_feed_forward_length", fx), ("expert_count", x));
        string shared = width + ", " + Because(("expert_feed_forward_length", fx));

        var expected = new HashSet<string>(StringComparer.Ordinal);
        Weight(check, expected, "token_embd.weight", required: true, vocabulary, e, v);
        Norm(check, expected, "output_norm.weight", width, e);
        Weight(check, expected, "output.weight", required: false, vocabulary, e, v);
        Expect(check, expected, "rope_freqs.weight", required: false, Because(("rope.dimension_count", shape.RopeDimensions)) + " / 2", onlyF32: "RoPE frequency factors", shape.RopeDimensions / 2);

        for (int layer = 0; layer < shape.BlockCount; layer++)
        {
            string p = Invariant($"blk.{layer}.");
            Norm(check, expected, p + "attn_norm.weight", width, e);
            Weight(check, expected, p + "attn_q.weight", required: true, heads, e, q);
            Weight(check, expected, p + "attn_k.weight", required: true, kvHeads, e, k);
            Weight(check, expected, p + "attn_v.weight", required: true, width + ", " + Because(("attention.head_count_kv", shape.KvHeadCount), ("value head size", shape.ValueLength)), e, kv);
            Weight(check, expected, p + "attn_output.weight", required: true, heads, q, e);
            Norm(check, expected, p + "ffn_norm.weight", width, e);
            if (shape.IsMoeLayer(layer))
            {
                Weight(check, expected, p + "ffn_gate_inp.weight", required: true, width + ", " + Because(("expert_count", x)), e, x);
                Weight(check, expected, p + "ffn_gate_exps.weight", required: true, experts, e, fx, x);
                Weight(check, expected, p + "ffn_up_exps.weight", required: true, experts, e, fx, x);
                Weight(check, expected, p + "ffn_down_exps.weight", required: true, experts, fx, e, x);
                Weight(check, expected, p + "ffn_gate_shexp.weight", required: true, shared, e, fx);
                Weight(check, expected, p + "ffn_up_shexp.weight", required: true, shared, e, fx);
                Weight(check, expected, p + "ffn_down_shexp.weight", required: true, shared, fx, e);
            }
            else
            {
                long f = shape.FeedForwardLengths[layer];
                string dense = width + ", " + Invariant($"{Arch}feed_forward_length of layer {layer} = {f}");
                Weight(check, expected, p + "ffn_gate.weight", required: true, dense, e, f);
                Weight(check, expected, p + "ffn_up.weight", required: true, dense, e, f);
                Weight(check, expected, p + "ffn_down.weight", required: true, dense, f, e);
            }
        }

        foreach (GgufTensorInfo tensor in check.Tensors.Values)
        {
            if (!expected.Contains(tensor.Name))
            {
                throw new Llama4ModelValidationException(
                    Llama4ModelProblem.InvalidTensor,
                    check.FilePath,
                    Invariant($"The model file '{check.FilePath}' has a tensor '{tensor.Name}' that a llama4 model with {shape.BlockCount} layers ({Arch}block_count) and a MoE layer every {shape.MoeLayerStep} ({Arch}interleave_moe_layer_step) does not have; llama.cpp refuses such a file. The metadata or the tensor list is damaged: download or convert the model again."));
            }
        }

        return check.Tensors.Count;
    }

    private static void Norm(GgufMetadataChecker check, HashSet<string> expected, string name, string because, long width) =>
        Expect(check, expected, name, required: true, because, onlyF32: "a norm weight", width);

    private static void Weight(GgufMetadataChecker check, HashSet<string> expected, string name, bool required, string because, params long[] dimensions) =>
        Expect(check, expected, name, required, because, onlyF32: null, dimensions);

    private static void Expect(GgufMetadataChecker check, HashSet<string> expected, string name, bool required, string because, string? onlyF32, params long[] dimensions)
    {
        expected.Add(name);
        if (check.Tensor(name, required, because, dimensions) is not { } tensor)
        {
            return;
        }

        if (onlyF32 is not null && tensor.TypeId != GgmlTypeInfo.F32)
        {
            throw check.UnsupportedTensorType(tensor, onlyF32, "F32");
        }

        if (onlyF32 is null && !GgmlTypeInfo.IsRunnableWeight(tensor.TypeId))
        {
            throw check.UnsupportedTensorType(tensor, "a weight matrix", "one of " + GgmlTypeInfo.RunnableWeightTypeNames);
        }
    }

    private static string Because(params (string Key, long Value)[] widths) =>
        string.Join(", ", widths.Select(w => w.Key.Contains(' ', StringComparison.Ordinal) ? Invariant($"{w.Key} {w.Value}") : Invariant($"{Arch}{w.Key} = {w.Value}")));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
