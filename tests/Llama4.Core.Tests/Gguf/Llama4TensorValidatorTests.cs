using Llama4.TinyModel;

namespace Llama4.Core.Tests.Gguf;

/// <summary>
/// Tensor types llama.cpp's CPU kernels cannot run (each crashed a child process before the validator refused it:
/// SIGSEGV for integer, F64, Q8_1 and Q8_K weights, SIGABRT for a norm that is not F32 and for an integer or F64 token
/// embedding), and widths that disagree with the tensors (a multi-terabyte memory estimate before).
/// </summary>
public sealed class Llama4TensorValidatorTests : IClassFixture<GgufTestFiles>
{
    private const int I8 = 24;
    private const int I16 = 25;
    private const int I32 = 26;
    private const int I64 = 27;
    private const int F64 = 28;
    private const int F16 = 1;
    private const int BF16 = 30;
    private const int Q8_0 = 8;
    private const int Q8_1 = 9;
    private const int Q4_K = 12;
    private const int Q8_K = 15;

    private readonly GgufTestFiles _files;

    public Llama4TensorValidatorTests(GgufTestFiles files)
    {
        _files = files;
    }

    public static TheoryData<string, int, string> UnrunnableTypes => new()
    {
        { "blk.0.attn_q.weight", I8, "I8" },
        { "blk.0.attn_q.weight", I16, "I16" },
        { "blk.0.attn_q.weight", I32, "I32" },
        { "blk.0.attn_q.weight", I64, "I64" },
        { "blk.0.attn_q.weight", F64, "F64" },
        { "blk.0.attn_q.weight", Q8_1, "Q8_1" },
        { "blk.0.ffn_down.weight", Q8_K, "Q8_K" },
        { "blk.1.ffn_gate_inp.weight", I32, "I32" },
        { "blk.1.ffn_up_exps.weight", I16, "I16" },
        { "output.weight", I32, "I32" },
        { "token_embd.weight", I32, "I32" },
        { "token_embd.weight", I8, "I8" },
        { "token_embd.weight", F64, "F64" },
        { "token_embd.weight", Q8_1, "Q8_1" },
        { "blk.0.attn_norm.weight", F16, "F16" },
        { "blk.1.ffn_norm.weight", Q8_0, "Q8_0" },
        { "blk.0.attn_norm.weight", I32, "I32" },
        { "output_norm.weight", BF16, "BF16" },
    };

    [Theory]
    [MemberData(nameof(UnrunnableTypes))]
    public void Validate_TensorTypeTheKernelsCannotRun_ThrowsInvalidTensorNamingTensorAndType(string tensor, int type, string typeName)
    {
        string path = _files.WriteModel(TinyModelOptions.Default with { TensorTypeOverrides = new Dictionary<string, int> { [tensor] = type } });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidTensor, ex.Problem);
        Assert.Contains($"'{tensor}' as {typeName}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(tensor.Contains("norm", StringComparison.Ordinal) ? "must be F32" : "must be one of F32, F16", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("blk.0.attn_q.weight", Q8_0)]
    [InlineData("blk.0.attn_q.weight", BF16)]
    [InlineData("blk.0.ffn_down.weight", Q4_K)]
    [InlineData("blk.1.ffn_down_exps.weight", Q8_0)]
    [InlineData("blk.1.ffn_gate_inp.weight", F16)]
    [InlineData("token_embd.weight", Q8_0)]
    [InlineData("token_embd.weight", BF16)]
    public void Validate_TensorTypeTheKernelsRun_IsAccepted(string tensor, int type)
    {
        string path = _files.WriteModel(TinyModelOptions.Default with { TensorTypeOverrides = new Dictionary<string, int> { [tensor] = type } });

        Assert.Equal(47, Llama4ModelValidator.Validate(path).TensorCount);
    }

    public static TheoryData<string, object, string, string> CorruptedWidths => new()
    {
        { "llama4.feed_forward_length", 1u << 28, "blk.0.ffn_gate.weight", "llama4.feed_forward_length of layer 0 = 268435456" },
        { "llama4.feed_forward_length", new uint[] { 256, 256, 257, 256 }, "blk.2.ffn_gate.weight", "llama4.feed_forward_length of layer 2 = 257" },
        { "llama4.expert_feed_forward_length", 1u << 28, "blk.1.ffn_gate_exps.weight", "llama4.expert_feed_forward_length = 268435456" },
        { "llama4.expert_count", 8u, "blk.1.ffn_gate_inp.weight", "llama4.expert_count = 8" },
        { "llama4.attention.head_count_kv", 1u, "blk.0.attn_k.weight", "llama4.attention.head_count_kv = 1" },
        { "llama4.embedding_length", 256u, "token_embd.weight", "llama4.embedding_length = 256" },
    };

    [Theory]
    [MemberData(nameof(CorruptedWidths))]
    public void Validate_WidthThatDisagreesWithTheTensors_ThrowsInvalidTensorNamingTheKey(string key, object value, string tensor, string named)
    {
        var overrides = new Dictionary<string, object?> { [key] = value };
        if (key == "llama4.embedding_length")
        {
            // Keep the head size (embedding_length / head_count) equal to the RoPE dimensions, so the width is what differs.
            overrides["llama4.attention.head_count"] = 8u;
        }

        string path = _files.WriteModel(overrides);

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidTensor, ex.Problem);
        Assert.Contains($"tensor '{tensor}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MoreLayersThanTheTensorsHave_ThrowsInvalidTensorNamingTheMissingOne()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.block_count"] = 5u });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidTensor, ex.Problem);
        Assert.Contains("no tensor 'blk.4.attn_norm.weight'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FewerLayersThanTheTensorsHave_ThrowsInvalidTensorNamingTheExtraOne()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.block_count"] = 3u });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidTensor, ex.Problem);
        Assert.Contains("tensor 'blk.3.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("llama4.block_count", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OneTokenMoreThanTheEmbeddingRows_ThrowsInvalidTensor()
    {
        string[] tokens = [.. TinyModelVocabulary.Create(300).Tokens, "extra-token"];
        int[] types = [.. TinyModelVocabulary.Create(300).TokenTypes, TinyModelVocabulary.NormalTokenType];
        string path = _files.WriteModel(new Dictionary<string, object?>
        {
            ["tokenizer.ggml.tokens"] = tokens,
            ["tokenizer.ggml.token_type"] = types,
            ["llama4.vocab_size"] = (uint)tokens.Length,
        });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidTensor, ex.Problem);
        Assert.Contains("token_embd.weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{tokens.Length} tokens in tokenizer.ggml.tokens", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("all-moe")]
    [InlineData("f32")]
    [InlineData("larger-shape")]
    public void Validate_GeneratedVariant_IsAccepted(string variant)
    {
        TinyModelOptions options = variant switch
        {
            "all-moe" => TinyModelOptions.Default with { MoeLayerStep = 1 },
            "f32" => TinyModelOptions.Default with { TensorType = TinyModelTensorType.F32 },
            _ => TinyModelOptions.Default with { LayerCount = 8, EmbeddingLength = 256, HeadCount = 8, KvHeadCount = 2, ExpertCount = 8, ExpertUsedCount = 2 },
        };
        string path = _files.WriteModel(options);

        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);

        Assert.Equal(options.LayerCount, info.BlockCount);
        Assert.Equal(options.EmbeddingLength, info.EmbeddingLength);
    }
}
