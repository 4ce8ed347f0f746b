using Llama4.Core;

namespace Llama4.Core.Tests.Memory;

/// <summary>
/// The published shapes of Meta's Llama 4 text models, for the documentation's tables (no such file exists here).
/// Shared by both: 48 layers, width 5120, 40 query heads, 8 KV heads of 128 dimensions, vocabulary 202048, expert and
/// shared-expert width 8192, dense FFN width 16384. Scout: 16 routed experts in every layer; Maverick: 128 routed
/// experts in every other layer.
/// </summary>
internal sealed class ReferenceModel
{
    private const int Layers = 48;
    private const int Width = 5120;
    private const int Heads = 40;
    private const int KvHeads = 8;
    private const int HeadSize = 128;
    private const int Vocabulary = 202048;
    private const int ExpertWidth = 8192;
    private const int DenseWidth = 16384;

    private ReferenceModel(string name, int experts, int moeLayerStep, int trainingContext)
    {
        Name = name;
        Experts = experts;
        MoeLayerStep = moeLayerStep;
        TrainingContext = trainingContext;
    }

    /// <summary>Llama 4 Scout 17B-16E: 16 routed experts + a shared expert in every layer, 10M training context.</summary>
    public static ReferenceModel Scout { get; } = new("Llama 4 Scout 17B-16E", 16, 1, 10_485_760);

    /// <summary>Llama 4 Maverick 17B-128E: 128 routed experts + a shared expert in every other layer, 1M training context.</summary>
    public static ReferenceModel Maverick { get; } = new("Llama 4 Maverick 17B-128E", 128, 2, 1_048_576);

    public string Name { get; }

    public int Experts { get; }

    public int MoeLayerStep { get; }

    public int TrainingContext { get; }

    /// <summary>The parameters stored as 2-D weight matrices (quantized by llama.cpp's quantizer).</summary>
    public long MatrixParameters
    {
        get
        {
            long embeddings = 2L * Vocabulary * Width; // token_embd and output (not tied)
            long attention = (2L * Width * Heads * HeadSize) + (2L * Width * KvHeads * HeadSize);
            long total = embeddings;
            for (int layer = 0; layer < Layers; layer++)
            {
                total += attention;
                total += IsMoe(layer)
                    ? (3L * Width * ExpertWidth * Experts) + (3L * Width * ExpertWidth)
                    : 3L * Width * DenseWidth;
            }

            return total;
        }
    }

    /// <summary>The parameters kept in F32: the norms and the expert routers (llama.cpp does not quantize them).</summary>
    public long F32Parameters
    {
        get
        {
            long total = Width; // output_norm
            for (int layer = 0; layer < Layers; layer++)
            {
                total += 2L * Width; // attn_norm, ffn_norm
                total += IsMoe(layer) ? (long)Width * Experts : 0; // ffn_gate_inp
            }

            return total;
        }
    }

    public long Parameters => MatrixParameters + F32Parameters;

    /// <summary>The tensor data of a file whose matrices average <paramref name="bitsPerWeight"/> bits.</summary>
    public long WeightsBytes(double bitsPerWeight) => (long)Math.Round(MatrixParameters * bitsPerWeight / 8) + (4 * F32Parameters);

    /// <summary>The model as the validator would describe its GGUF, with the given tensor data size (and training context).</summary>
    public Llama4ModelInfo ToModelInfo(long tensorDataBytes, int? trainingContext = null) => new()
    {
        Name = Name,
        Architecture = "llama4",
        TrainingContextLength = trainingContext ?? TrainingContext,
        EmbeddingLength = Width,
        BlockCount = Layers,
        HeadCount = Heads,
        KvHeadCount = KvHeads,
        KeyLength = HeadSize,
        ValueLength = HeadSize,
        ExpertCount = Experts,
        ExpertUsedCount = 1,
        FeedForwardLength = DenseWidth,
        ExpertFeedForwardLength = ExpertWidth,
        MoeLayerStep = MoeLayerStep,
        VocabularySize = Vocabulary,
        TensorDataBytes = tensorDataBytes,
    };

    private bool IsMoe(int layer) => (layer + 1) % MoeLayerStep == 0;
}
