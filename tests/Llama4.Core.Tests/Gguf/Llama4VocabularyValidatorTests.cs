using Llama4.Core.Gguf;
using Llama4.TinyModel;

namespace Llama4.Core.Tests.Gguf;

/// <summary>
/// Vocabularies llama.cpp aborts on (checked by loading each file in a child process before the validator refused
/// them: SIGABRT at load for a repeated token, SIGABRT at the first grammar-constrained request for a U+0000 token).
/// </summary>
public sealed class Llama4VocabularyValidatorTests : IClassFixture<GgufTestFiles>
{
    private readonly GgufTestFiles _files;

    public Llama4VocabularyValidatorTests(GgufTestFiles files)
    {
        _files = files;
    }

    [Fact]
    public void Validate_TwoEqualTokenTexts_ThrowsInvalidVocabularyNamingBothIds()
    {
        string[] tokens = Tokens();
        tokens[300] = tokens[301];

        var ex = Refuse(tokens);

        Assert.Equal(Llama4ModelProblem.InvalidVocabulary, ex.Problem);
        Assert.Contains("at ids 300 and 301", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.ggml.tokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TokensEqualUpToANulByte_ThrowsInvalidVocabulary()
    {
        // llama.cpp reads token texts as C strings: "ab\0x" is "ab".
        string[] tokens = Tokens();
        tokens[300] = "zq";
        tokens[301] = "zq\0x";

        var ex = Refuse(tokens);

        Assert.Equal(Llama4ModelProblem.InvalidVocabulary, ex.Problem);
        Assert.Contains("'zq' twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyTokenBesideItsPlaceholderText_ThrowsInvalidVocabulary()
    {
        // llama.cpp renames an empty token to "[EMPTY_<id>]", which may then repeat another token.
        string[] tokens = Tokens();
        tokens[300] = string.Empty;
        tokens[301] = "[EMPTY_300]";

        var ex = Refuse(tokens);

        Assert.Equal(Llama4ModelProblem.InvalidVocabulary, ex.Problem);
    }

    [Fact]
    public void Validate_DistinctInvalidUtf8TokensThatDecodeAlike_AreNotDuplicates()
    {
        // "\xFFZ" and "\xFEZ" both read as "\uFFFDZ" in .NET, but llama.cpp compares bytes: they are different tokens.
        string[] tokens = Tokens();
        tokens[300] = "\u0001Zq";
        tokens[301] = "\u0002Zq";
        string path = _files.WriteModel(new Dictionary<string, object?> { ["tokenizer.ggml.tokens"] = tokens });
        GgufTestFiles.PatchBytes(path, "\u0001Zq"u8.ToArray(), [0xFF, (byte)'Z', (byte)'q']);
        GgufTestFiles.PatchBytes(path, "\u0002Zq"u8.ToArray(), [0xFE, (byte)'Z', (byte)'q']);

        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);

        Assert.Equal(tokens.Length, info.VocabularySize);
    }

    [Fact]
    public void Validate_EqualInvalidUtf8Tokens_ThrowsInvalidVocabulary()
    {
        string[] tokens = Tokens();
        tokens[300] = "\u0001Zq";
        tokens[301] = "\u0002Zq";
        string path = _files.WriteModel(new Dictionary<string, object?> { ["tokenizer.ggml.tokens"] = tokens });
        GgufTestFiles.PatchBytes(path, "\u0001Zq"u8.ToArray(), [0xFF, (byte)'Z', (byte)'q']);
        GgufTestFiles.PatchBytes(path, "\u0002Zq"u8.ToArray(), [0xFF, (byte)'Z', (byte)'q']);

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidVocabulary, ex.Problem);
        Assert.Contains("\\xffZq", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C0 80")]
    [InlineData("C0 C0")]
    [InlineData("C0 40")]
    [InlineData("E0 80 80")]
    [InlineData("F0 80 80 80")]
    [InlineData("61 C0 80")]
    public void Validate_NormalTokenWhosePieceGrammarsReadAsNul_ThrowsInvalidVocabulary(string hex)
    {
        byte[] piece = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
        string[] tokens = Tokens();
        tokens[300] = Gpt2ByteLevel.Encode(piece);

        var ex = Refuse(tokens);

        Assert.Equal(Llama4ModelProblem.InvalidVocabulary, ex.Problem);
        Assert.Contains("token 300", ex.Message, StringComparison.Ordinal);
        Assert.Contains(hex, ex.Message, StringComparison.Ordinal);
        Assert.Contains("U+0000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ControlTokenWithRawOverlongNulText_ThrowsInvalidVocabulary()
    {
        // Control tokens give the grammar their stored bytes as they are.
        string[] tokens = Tokens();
        int[] types = [.. TinyModelVocabulary.Create(300).TokenTypes];
        tokens[300] = "\u0001\u0002";
        types[300] = TinyModelVocabulary.ControlTokenType;
        string path = _files.WriteModel(new Dictionary<string, object?>
        {
            ["tokenizer.ggml.tokens"] = tokens,
            ["tokenizer.ggml.token_type"] = types,
        });
        GgufTestFiles.PatchBytes(path, [0x01, 0x02], [0xC0, 0x80]);

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidVocabulary, ex.Problem);
        Assert.Contains("C0 80", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C1 80")]
    [InlineData("E0 A0 80")]
    [InlineData("F5 80 80 80")]
    [InlineData("C0")]
    public void Validate_NormalTokenWithoutANulReading_IsAccepted(string hex)
    {
        // Prefixed, so that the text is no byte token's (a single-byte text is one already).
        string[] tokens = Tokens();
        tokens[300] = "zq" + Gpt2ByteLevel.Encode(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)));
        string path = _files.WriteModel(new Dictionary<string, object?> { ["tokenizer.ggml.tokens"] = tokens });

        Assert.Equal(tokens.Length, Llama4ModelValidator.Validate(path).VocabularySize);
    }

    [Fact]
    public void Validate_UnusedTypeTokenWithAnOverlongText_IsAccepted()
    {
        // A token of type UNUSED (5) has an empty piece: the grammar sampler never offers it.
        string[] tokens = Tokens();
        int[] types = [.. TinyModelVocabulary.Create(300).TokenTypes];
        tokens[300] = Gpt2ByteLevel.Encode([0xC0, 0x80]);
        types[300] = 5;
        string path = _files.WriteModel(new Dictionary<string, object?>
        {
            ["tokenizer.ggml.tokens"] = tokens,
            ["tokenizer.ggml.token_type"] = types,
        });

        Assert.Equal(tokens.Length, Llama4ModelValidator.Validate(path).VocabularySize);
    }

    private static string[] Tokens() => [.. TinyModelVocabulary.Create(300).Tokens];

    private Llama4ModelValidationException Refuse(string[] tokens)
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["tokenizer.ggml.tokens"] = tokens });
        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));
        Assert.Equal(Path.GetFullPath(path), ex.ModelPath);
        Assert.Contains("download or convert the model again", ex.Message, StringComparison.Ordinal);
        return ex;
    }
}
