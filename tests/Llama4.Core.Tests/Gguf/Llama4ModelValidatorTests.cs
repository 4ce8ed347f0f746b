using System.Buffers.Binary;
using System.Text;
using Llama4.Core.Gguf;
using Llama4.TinyModel;

namespace Llama4.Core.Tests.Gguf;

public sealed class Llama4ModelValidatorTests : IClassFixture<GgufTestFiles>
{
    private readonly GgufTestFiles _files;

    public Llama4ModelValidatorTests(GgufTestFiles files)
    {
        _files = files;
    }

    [Fact]
    public void Validate_TinyModel_ReturnsItsInfo()
    {
        Llama4ModelInfo info = Llama4ModelValidator.Validate(_files.ValidModelPath);

        Assert.Equal(Path.GetFullPath(_files.ValidModelPath), info.Path);
        Assert.Equal(_files.ValidModelBytes.Length, info.FileSizeBytes);
        Assert.Equal("llama4-tiny", info.Name);
        Assert.Equal("llama4", info.Architecture);
        Assert.Equal(3, info.GgufVersion);
        Assert.Equal(1, info.ShardCount);
        Assert.Equal(131072, info.TrainingContextLength);
        Assert.Equal(128, info.EmbeddingLength);
        Assert.Equal(4, info.BlockCount);
        Assert.Equal(4, info.HeadCount);
        Assert.Equal(2, info.KvHeadCount);
        Assert.Equal(4, info.ExpertCount);
        Assert.Equal(1, info.ExpertUsedCount);
        Assert.Equal(256, info.FeedForwardLength);
        Assert.Equal(128, info.ExpertFeedForwardLength);
        Assert.Equal(2, info.MoeLayerStep);
        Assert.Equal(TinyModelVocabulary.Create(300).Tokens.Count, info.VocabularySize);
        Assert.Equal(47, info.TensorCount);
        Assert.Equal(TinyModelChatTemplate.Text, info.ChatTemplate);
        Assert.Equal(new Llama4SamplingOptions(), info.SamplingDefaults);
    }

    [Fact]
    public void Validate_SamplingKeys_AreReportedAsDefaults()
    {
        string path = _files.WriteModel(new Dictionary<string, object?>
        {
            ["general.sampling.temp"] = 0.7f,
            ["general.sampling.top_k"] = 40,
            ["general.sampling.top_p"] = 0.95f,
            ["general.sampling.min_p"] = 0.05f,
            ["general.sampling.penalty_repeat"] = 1.1f,
            ["general.sampling.penalty_last_n"] = -1,
            ["general.name"] = null,
        });

        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);

        Assert.Equal(0.7f, info.SamplingDefaults.Temperature);
        Assert.Equal(40, info.SamplingDefaults.TopK);
        Assert.Equal(0.95f, info.SamplingDefaults.TopP);
        Assert.Equal(0.05f, info.SamplingDefaults.MinP);
        Assert.Equal(1.1f, info.SamplingDefaults.RepeatPenalty);
        Assert.Equal(-1, info.SamplingDefaults.PenaltyLastTokens);
        Assert.Equal(Path.GetFileNameWithoutExtension(path), info.Name);
    }

    [Fact]
    public void Validate_IntegerKeysOfAnyWidthAndPerLayerArrays_AreAccepted()
    {
        string path = _files.WriteModel(new Dictionary<string, object?>
        {
            ["llama4.context_length"] = 131072UL,
            ["llama4.block_count"] = (byte)4,
            ["llama4.expert_count"] = (ushort)4,
            ["llama4.expert_used_count"] = 1L,
            ["llama4.attention.head_count"] = new uint[] { 4, 4, 4, 4 },
            ["llama4.attention.head_count_kv"] = 2,
            ["llama4.attention.layer_norm_rms_epsilon"] = 1e-5,
        });

        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);

        Assert.Equal(131072, info.TrainingContextLength);
        Assert.Equal(4, info.BlockCount);
        Assert.Equal(4, info.HeadCount);
        Assert.Equal(2, info.KvHeadCount);
    }

    [Fact]
    public void Validate_MissingFile_ThrowsFileNotFound()
    {
        string path = _files.NewPath();

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.FileNotFound, ex.Problem);
        Assert.Equal(path, ex.ModelPath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Directory_ThrowsFileNotFound()
    {
        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(_files.Directory));

        Assert.Equal(Llama4ModelProblem.FileNotFound, ex.Problem);
        Assert.Contains("directory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZipFile_ThrowsNotGgufNamingTheMagicBytes()
    {
        string path = _files.WriteBytes([(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0]);

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.NotGguf, ex.Problem);
        Assert.Contains(@"'PK\x03\x04'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("pass the path of a .gguf model file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GitLfsPointer_ThrowsNotGgufWithTheFix()
    {
        string path = _files.WriteBytes(Encoding.ASCII.GetBytes("version https://git-lfs.example/spec/v1\noid sha256:00\nsize 123\n"));

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.NotGguf, ex.Problem);
        Assert.Contains("git lfs pull", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyFile_ThrowsTruncated()
    {
        string path = _files.WriteBytes([]);

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.Truncated, ex.Problem);
    }

    [Theory]
    [InlineData(1u, "version 1")]
    [InlineData(4u, "version 4")]
    [InlineData(0x03000000u, "big-endian")]
    public void Validate_UnsupportedVersion_ThrowsUnsupportedGgufVersion(uint version, string expected)
    {
        byte[] bytes = (byte[])_files.ValidModelBytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), version);
        string path = _files.WriteBytes(bytes);

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.UnsupportedGgufVersion, ex.Problem);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("header", 3)]
    [InlineData("header", 12)]
    [InlineData("metadata", 200)]
    [InlineData("metadata", 20_000)]
    [InlineData("tensor data", -1000)]
    [InlineData("tensor data", -1)]
    public void Validate_TruncatedFile_ThrowsTruncated(string where, int cut)
    {
        byte[] bytes = _files.ValidModelBytes;
        int length = cut > 0 ? cut : bytes.Length + cut - 32;
        string path = _files.WriteBytes(bytes.AsSpan(0, length));

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.True(ex.Problem == Llama4ModelProblem.Truncated, $"cut in the {where} at {length}: {ex.Problem}: {ex.Message}");
        Assert.Contains("download or copy the file again", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CutRightAfterTheTensorInfos_ThrowsTruncatedNamingATensor()
    {
        GgufFile header;
        using (var stream = new MemoryStream(_files.ValidModelBytes))
        {
            header = GgufFile.Read(stream, "memory.gguf");
        }

        string path = _files.WriteBytes(_files.ValidModelBytes.AsSpan(0, (int)header.DataOffset + 10));

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.Truncated, ex.Problem);
        Assert.Contains("token_embd.weight", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OtherArchitecture_ThrowsUnsupportedArchitectureNamingIt()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["general.architecture"] = "llama" });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.UnsupportedArchitecture, ex.Problem);
        Assert.Contains("'llama'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("general.architecture", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, object?, Llama4ModelProblem> BadMetadata => new()
    {
        { "llama4.expert_count", 0u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.expert_used_count", 0u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.expert_used_count", 5u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.attention.sliding_window", 0u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.interleave_moe_layer_step", 0u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.block_count", null, Llama4ModelProblem.MissingMetadata },
        { "llama4.block_count", 0u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.context_length", null, Llama4ModelProblem.MissingMetadata },
        { "llama4.embedding_length", "128", Llama4ModelProblem.InvalidMetadata },
        { "llama4.expert_feed_forward_length", null, Llama4ModelProblem.MissingMetadata },
        { "llama4.feed_forward_length", 0u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.attention.head_count", 0u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.attention.head_count", 3u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.attention.head_count", new uint[] { 4, 4 }, Llama4ModelProblem.InvalidMetadata },
        { "llama4.attention.head_count_kv", 0u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.attention.head_count_kv", 3u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.attention.layer_norm_rms_epsilon", 0f, Llama4ModelProblem.InvalidMetadata },
        { "llama4.attention.layer_norm_rms_epsilon", null, Llama4ModelProblem.MissingMetadata },
        { "llama4.rope.dimension_count", 16u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.block_count", 513u, Llama4ModelProblem.InvalidMetadata },
        { "llama4.expert_count", 513u, Llama4ModelProblem.InvalidMetadata },
        { "general.architecture", null, Llama4ModelProblem.MissingMetadata },
        { "general.alignment", 32, Llama4ModelProblem.InvalidMetadata },
        { "general.alignment", 0u, Llama4ModelProblem.InvalidMetadata },
        { "general.alignment", 16u, Llama4ModelProblem.InvalidMetadata },
        { "tokenizer.ggml.tokens", null, Llama4ModelProblem.MissingMetadata },
        { "tokenizer.ggml.model", "llama", Llama4ModelProblem.NotLlama4Tokenizer },
        { "tokenizer.ggml.token_type", new uint[] { 1, 1 }, Llama4ModelProblem.InvalidMetadata },
        { "tokenizer.ggml.token_type", new int[] { 1, 1 }, Llama4ModelProblem.InvalidMetadata },
    };

    [Theory]
    [MemberData(nameof(BadMetadata))]
    public void Validate_BadMetadata_ThrowsTheProblemNamingTheKey(string key, object? value, Llama4ModelProblem problem)
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { [key] = value });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(problem, ex.Problem);
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        Assert.Equal(Path.GetFullPath(path), ex.ModelPath);
    }

    [Theory]
    [InlineData("llama3")]
    [InlineData("dynamic")]
    [InlineData("LINEAR")]
    [InlineData("")]
    public void Validate_RopeScalingTypeLlamaCppDoesNotKnow_ThrowsInvalidMetadata(string scaling)
    {
        // Each of these aborted a child process at load (GGML_ASSERT in llama.cpp's hyperparameter loading).
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.rope.scaling.type"] = scaling });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains("'llama4.rope.scaling.type'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'none', 'linear', 'yarn', 'longrope'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("linear")]
    [InlineData("yarn")]
    [InlineData("longrope")]
    public void Validate_RopeScalingTypeLlamaCppKnows_IsAccepted(string scaling)
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.rope.scaling.type"] = scaling });

        Assert.Equal("llama4", Llama4ModelValidator.Validate(path).Architecture);
    }

    [Fact]
    public void Validate_RopeScalingTypeThatIsNotAString_ThrowsInvalidMetadata()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.rope.scaling.type"] = 1u });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains("stores 'llama4.rope.scaling.type' as uint32, but a string is expected", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, object> NaNRopeNumbers => new()
    {
        { "llama4.rope.freq_base", -0f },
        { "llama4.rope.freq_base", 0f },
        { "llama4.rope.freq_base", 1e-30f },
        { "llama4.rope.freq_base", float.PositiveInfinity },
        { "llama4.rope.scale_linear", float.NaN },
        { "llama4.rope.scaling.factor", -1f },
        { "llama4.rope.scaling.factor", 1e-30f },
        { "llama4.rope.scaling.attn_factor", 0f },
        { "llama4.rope.scaling.attn_factor", float.NegativeInfinity },
    };

    [Theory]
    [MemberData(nameof(NaNRopeNumbers))]
    public void Validate_RopeNumberThatTurnsLogitsIntoNaN_ThrowsInvalidMetadata(string key, object value)
    {
        // Found by the fuzzer: a base of -0 or a NaN scale made every logit NaN, and the grammar-constrained request
        // then accepted a forbidden token and aborted the process (seed 1, cases 815 and 1732).
        string path = _files.WriteModel(new Dictionary<string, object?> { [key] = value });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("llama4.rope.scaling.factor", 0f)]
    [InlineData("llama4.rope.scaling.factor", 8f)]
    [InlineData("llama4.rope.freq_base", 10000f)]
    [InlineData("llama4.rope.scaling.attn_factor", 1f)]
    public void Validate_RopeNumberInRange_IsAccepted(string key, float value)
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { [key] = value });

        Assert.Equal("llama4", Llama4ModelValidator.Validate(path).Architecture);
    }

    [Theory]
    [InlineData("llama4.attention.key_length")]
    [InlineData("llama4.attention.value_length")]
    public void Validate_HeadSizeZero_ThrowsInvalidMetadataNamingTheKey(string key)
    {
        // Before, a zero key_length passed the file checks and failed as "Invalid Llama 4 engine options".
        string path = _files.WriteModel(new Dictionary<string, object?> { [key] = 0u, ["llama4.rope.dimension_count"] = null });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains($"'{key}': it is 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ValueLengthUnlikeTheKeyLength_ThrowsInvalidMetadata()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.attention.value_length"] = 16u });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains("'llama4.attention.value_length': it is 16, but the key head size is 32", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(17u)]
    [InlineData(31u)]
    public void Validate_ContextTooShortForOneTurn_ThrowsInvalidMetadata(uint contextLength)
    {
        // Before, such a model loaded and then every request overflowed the context.
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.context_length"] = contextLength });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains("at least 32 tokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ContextOfTheMinimum_IsAccepted()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.context_length"] = (uint)Llama4ModelValidator.MinimumContextLength });

        Assert.Equal(Llama4ModelValidator.MinimumContextLength, Llama4ModelValidator.Validate(path).TrainingContextLength);
    }

    [Fact]
    public void Validate_PerLayerHeadCountsThatDiffer_ThrowsInvalidMetadata()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.attention.head_count"] = new uint[] { 4, 4, 2, 4 } });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains("it is 2 for layer 2 but 4 for layer 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_VocabSizeUnlikeTheTokenCount_ThrowsInvalidMetadata()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.vocab_size"] = 5u });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains("'llama4.vocab_size': it is 5", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tokenizer.chat_template")]
    [InlineData("general.name")]
    public void Validate_EmptyStringValue_ThrowsInvalidMetadataInsteadOfLLamaSharpsArgumentNullException(string key)
    {
        // Found by the fuzzer (seed 1, case 1822): LLamaSharp 0.30 throws ArgumentNullException reading an empty string.
        string path = _files.WriteModel(new Dictionary<string, object?> { [key] = string.Empty });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("empty string", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroExperts_MessageSaysWhyAndHowToFix()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.expert_count"] = 0u });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Contains("'llama4.expert_count': it is 0: llama.cpp aborts the process on such a file; re-export the model with expert_count > 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroSlidingWindow_MessageSaysWhyAndHowToFix()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.attention.sliding_window"] = 0u });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Contains("is 0, which aborts llama.cpp at the first decode; remove the key or set it to the chunk size (8192)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NonZeroSlidingWindow_IsAccepted()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["llama4.attention.sliding_window"] = 8192u });

        Assert.Equal("llama4", Llama4ModelValidator.Validate(path).Architecture);
    }

    [Fact]
    public void Validate_TokenizerWithoutHeaderStart_ThrowsNotLlama4Tokenizer()
    {
        string[] tokens = [.. TinyModelVocabulary.Create(300).Tokens];
        tokens[Array.IndexOf(tokens, "<|header_start|>")] = "<|header_begin|>";
        string path = _files.WriteModel(new Dictionary<string, object?> { ["tokenizer.ggml.tokens"] = tokens });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.NotLlama4Tokenizer, ex.Problem);
        Assert.Contains("<|header_start|>", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.ggml.tokens", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LaterShardOfASplitModel_ThrowsInvalidMetadataPointingToTheFirst()
    {
        string path = _files.WriteModel(new Dictionary<string, object?> { ["split.no"] = (ushort)1, ["split.count"] = (ushort)3 });

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains("shard 2 of 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-00001-of-00003.gguf", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SplitModelWithAMissingShard_ThrowsFileNotFoundNamingIt()
    {
        string path = _files.WriteModel(
            new Dictionary<string, object?> { ["split.no"] = (ushort)0, ["split.count"] = (ushort)2, ["split.tensors.count"] = (ushort)47 },
            "scout-00001-of-00002.gguf");

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.FileNotFound, ex.Problem);
        Assert.Contains("scout-00002-of-00002.gguf", ex.Message, StringComparison.Ordinal);

        // The second shard holds no tensors: the first holds all 47.
        byte[] shard = ShardWithoutTensors(index: 1);
        _files.WriteBytes(shard, "scout-00002-of-00002.gguf");
        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);
        Assert.Equal(2, info.ShardCount);
        Assert.Equal(47, info.TensorCount);
        Assert.Equal(new FileInfo(path).Length + shard.Length, info.FileSizeBytes);
    }

    [Fact]
    public void Validate_LaterShardWhoseIndexIsNotUInt16_ThrowsInvalidMetadataNamingTheShard()
    {
        string path = _files.WriteModel(
            new Dictionary<string, object?> { ["split.no"] = (ushort)0, ["split.count"] = (ushort)2, ["split.tensors.count"] = (ushort)47 },
            "maverick-00001-of-00002.gguf");
        _files.WriteBytes(ShardWithoutTensors(index: 1, asUInt32: true), "maverick-00002-of-00002.gguf");

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains("maverick-00002-of-00002.gguf", ex.Message, StringComparison.Ordinal);
        Assert.Contains("uint16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SplitModelWhoseTensorCountDisagrees_ThrowsInvalidMetadata()
    {
        string path = _files.WriteModel(
            new Dictionary<string, object?> { ["split.no"] = (ushort)0, ["split.count"] = (ushort)2, ["split.tensors.count"] = (ushort)90 },
            "scout2-00001-of-00002.gguf");
        _files.WriteBytes(ShardWithoutTensors(index: 1), "scout2-00002-of-00002.gguf");

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.InvalidMetadata, ex.Problem);
        Assert.Contains("declares 90 tensors", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A GGUF v3 file with no tensors and one key, split.no (uint16, or uint32 to break it).</summary>
    private static byte[] ShardWithoutTensors(ushort index, bool asUInt32 = false)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("GGUF"u8);
        writer.Write(3u);
        writer.Write(0UL);
        writer.Write(1UL);
        byte[] key = Encoding.UTF8.GetBytes("split.no");
        writer.Write((ulong)key.Length);
        writer.Write(key);
        if (asUInt32)
        {
            writer.Write(4u);
            writer.Write((uint)index);
        }
        else
        {
            writer.Write(2u);
            writer.Write(index);
        }

        writer.Flush();
        return stream.ToArray();
    }

    [Fact]
    public void Validate_OneMegabyteOfRandomGarbage_ThrowsATypedException()
    {
        byte[] garbage = new byte[1 << 20];
        new Random(1234).NextBytes(garbage);
        string path = _files.WriteBytes(garbage);

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Equal(Llama4ModelProblem.NotGguf, ex.Problem);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Validate_GgufHeaderFollowedByGarbage_ThrowsTruncatedOrCorrupt(int seed)
    {
        byte[] bytes = new byte[1 << 20];
        new Random(seed).NextBytes(bytes);
        "GGUF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 3);
        string path = _files.WriteBytes(bytes);

        var ex = Assert.Throws<Llama4ModelValidationException>(() => Llama4ModelValidator.Validate(path));

        Assert.Contains(ex.Problem, new[] { Llama4ModelProblem.Truncated, Llama4ModelProblem.Corrupt });
    }
}
