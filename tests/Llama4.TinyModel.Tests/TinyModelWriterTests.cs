using System.Security.Cryptography;
using Llama4.Core.Gguf;

namespace Llama4.TinyModel.Tests;

public sealed class TinyModelWriterTests
{
    // Pinned so that a change in the generator (layout, PRNG, tokenizer, corpus, template) is noticed: when it is
    // intended, update this hash AND bump FormatVersion in TinyModelCache so stale cached files are not reused.
    private const string DefaultModelSha256 = "d603010ff785fb9f74374c9d39d5439c7fccc3b15b425287880edb5007c044fd";

    [Fact]
    public void WriteToArray_SameOptions_ProducesIdenticalBytes()
    {
        byte[] first = TinyModelWriter.WriteToArray(TinyModelOptions.Default);
        byte[] second = TinyModelWriter.WriteToArray(TinyModelOptions.Default with { });

        Assert.Equal(SHA256.HashData(first), SHA256.HashData(second));
    }

    [Fact]
    public void WriteToArray_DefaultOptions_MatchesThePinnedHash()
    {
        byte[] bytes = TinyModelWriter.WriteToArray(TinyModelOptions.Default);

        Assert.Equal(DefaultModelSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void WriteToArray_DifferentSeed_ProducesDifferentBytesOfTheSameLength()
    {
        byte[] first = TinyModelWriter.WriteToArray(TinyModelOptions.Default);
        byte[] second = TinyModelWriter.WriteToArray(TinyModelOptions.Default with { Seed = 2 });

        Assert.Equal(first.Length, second.Length);
        Assert.NotEqual(SHA256.HashData(first), SHA256.HashData(second));
    }

    [Fact]
    public void Write_ToFile_MatchesWriteToArray()
    {
        string path = Path.Combine(Path.GetTempPath(), "llama4-tiny-writer-" + RandomNumberGenerator.GetHexString(12, lowercase: true) + ".gguf");
        try
        {
            TinyModelWriter.Write(path, TinyModelOptions.Default);

            Assert.Equal(TinyModelWriter.WriteToArray(TinyModelOptions.Default), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WriteToArray_DefaultOptions_WritesStrictlyTypedLlama4Metadata()
    {
        GgufFile file = Read(TinyModelWriter.WriteToArray(TinyModelOptions.Default));

        Assert.Equal(3u, file.Version);
        Assert.Equal(32u, file.Alignment);
        Assert.Equal("llama4", file.Metadata["general.architecture"].AsString);
        Assert.Equal("llama4-tiny", file.Metadata["general.name"].AsString);
        foreach (string key in new[] { "context_length", "embedding_length", "block_count", "feed_forward_length", "expert_feed_forward_length", "expert_count", "expert_used_count", "interleave_moe_layer_step", "attention.head_count", "attention.head_count_kv", "rope.dimension_count", "vocab_size" })
        {
            Assert.Equal(GgufValueType.UInt32, file.Metadata["llama4." + key].Type);
        }

        Assert.Equal(131072u, file.Metadata["llama4.context_length"].Value);
        Assert.Equal(GgufValueType.Float32, file.Metadata["llama4.attention.layer_norm_rms_epsilon"].Type);
        Assert.Equal(GgufValueType.Float32, file.Metadata["llama4.rope.freq_base"].Type);
        Assert.False(file.Metadata.ContainsKey("llama4.attention.sliding_window"));
        Assert.Equal("gpt2", file.Metadata["tokenizer.ggml.model"].AsString);
        Assert.Equal("llama4", file.Metadata["tokenizer.ggml.pre"].AsString);
        Assert.Equal(GgufValueType.Int32, file.Metadata["tokenizer.ggml.token_type"].ElementType);
        Assert.Equal(TinyModelChatTemplate.Text, file.Metadata["tokenizer.chat_template"].AsString);
        Assert.Equal(true, file.Metadata["tokenizer.ggml.add_bos_token"].Value);
        Assert.Equal(false, file.Metadata["tokenizer.ggml.add_eos_token"].Value);

        TinyModelVocabulary vocabulary = TinyModelVocabulary.Create(300);
        Assert.Equal(vocabulary.Tokens, file.Metadata["tokenizer.ggml.tokens"].AsStringArray);
        Assert.Equal((uint)vocabulary.Tokens.Count, file.Metadata["llama4.vocab_size"].Value);
        Assert.Equal((uint)vocabulary.BeginOfTextId, file.Metadata["tokenizer.ggml.bos_token_id"].Value);
        Assert.Equal((uint)vocabulary.EndOfTurnId, file.Metadata["tokenizer.ggml.eos_token_id"].Value);
        Assert.Equal((uint)vocabulary.EndOfTurnId, file.Metadata["tokenizer.ggml.eot_token_id"].Value);
        Assert.Equal((uint)vocabulary.EndOfMessageId, file.Metadata["tokenizer.ggml.eom_token_id"].Value);
        Assert.Equal((uint)vocabulary.PaddingId, file.Metadata["tokenizer.ggml.padding_token_id"].Value);
    }

    [Fact]
    public void WriteToArray_DefaultOptions_WritesTheLlama4TensorSet()
    {
        GgufFile file = Read(TinyModelWriter.WriteToArray(TinyModelOptions.Default));
        var tensors = file.Tensors.ToDictionary(t => t.Name);
        ulong vocab = (ulong)TinyModelVocabulary.Create(300).Tokens.Count;

        // 3 global + 4 layers x 6 shared + 2 dense layers x 3 + 2 MoE layers x 7.
        Assert.Equal(3 + 24 + 6 + 14, file.Tensors.Count);
        AssertTensor(tensors["token_embd.weight"], "F16", 128, vocab);
        AssertTensor(tensors["output.weight"], "F16", 128, vocab);
        AssertTensor(tensors["output_norm.weight"], "F32", 128);
        AssertTensor(tensors["blk.0.attn_q.weight"], "F16", 128, 128);
        AssertTensor(tensors["blk.0.attn_k.weight"], "F16", 128, 64);
        AssertTensor(tensors["blk.0.attn_v.weight"], "F16", 128, 64);
        AssertTensor(tensors["blk.0.attn_output.weight"], "F16", 128, 128);
        AssertTensor(tensors["blk.0.ffn_gate.weight"], "F16", 128, 256);
        AssertTensor(tensors["blk.0.ffn_down.weight"], "F16", 256, 128);
        AssertTensor(tensors["blk.1.ffn_gate_inp.weight"], "F32", 128, 4);
        AssertTensor(tensors["blk.1.ffn_gate_exps.weight"], "F16", 128, 128, 4);
        AssertTensor(tensors["blk.1.ffn_down_exps.weight"], "F16", 128, 128, 4);
        AssertTensor(tensors["blk.1.ffn_up_shexp.weight"], "F16", 128, 128);
        AssertTensor(tensors["blk.3.ffn_norm.weight"], "F32", 128);
        Assert.False(tensors.ContainsKey("blk.1.ffn_gate.weight"));
        Assert.False(tensors.ContainsKey("blk.2.ffn_gate_inp.weight"));
        Assert.All(file.Tensors, t => Assert.Equal(0ul, t.Offset % 32));
    }

    [Fact]
    public void WriteToArray_F32_StoresMatricesAsF32()
    {
        GgufFile file = Read(TinyModelWriter.WriteToArray(TinyModelOptions.Default with { TensorType = TinyModelTensorType.F32 }));

        Assert.All(file.Tensors, t => Assert.Equal("F32", t.TypeName));
        Assert.Equal(0u, file.Metadata["general.file_type"].Value);
    }

    [Fact]
    public void WriteToArray_MetadataOverrides_RemoveReplaceAndAppendKeys()
    {
        var options = TinyModelOptions.Default with
        {
            MetadataOverrides = new Dictionary<string, object?>
            {
                ["llama4.rope.freq_base"] = null,
                ["llama4.expert_count"] = 0u,
                ["llama4.context_length"] = 4096UL,
                ["general.name"] = "renamed",
                ["zz.custom"] = new[] { 1.5f, 2.5f },
                ["aa.flag"] = true,
            },
        };

        GgufFile file = Read(TinyModelWriter.WriteToArray(options));

        Assert.False(file.Metadata.ContainsKey("llama4.rope.freq_base"));
        Assert.Equal(0u, file.Metadata["llama4.expert_count"].Value);
        Assert.Equal(GgufValueType.UInt64, file.Metadata["llama4.context_length"].Type);
        Assert.Equal("renamed", file.Metadata["general.name"].AsString);
        Assert.Equal(new[] { 1.5f, 2.5f }, (float[])file.Metadata["zz.custom"].Value);
        Assert.Equal(["aa.flag", "zz.custom"], file.Keys.TakeLast(2));
        Assert.Equal(1, file.Keys.Count(k => k == "llama4.expert_count"));
    }

    public static TheoryData<TinyModelOptions, string> InvalidOptions => new()
    {
        { TinyModelOptions.Default with { LayerCount = 3 }, nameof(TinyModelOptions.LayerCount) },
        { TinyModelOptions.Default with { EmbeddingLength = 0 }, nameof(TinyModelOptions.EmbeddingLength) },
        { TinyModelOptions.Default with { HeadCount = 3 }, nameof(TinyModelOptions.EmbeddingLength) },
        { TinyModelOptions.Default with { EmbeddingLength = 12, HeadCount = 4, KvHeadCount = 4 }, nameof(TinyModelOptions.HeadCount) },
        { TinyModelOptions.Default with { KvHeadCount = 3 }, nameof(TinyModelOptions.KvHeadCount) },
        { TinyModelOptions.Default with { ExpertCount = 0 }, nameof(TinyModelOptions.ExpertCount) },
        { TinyModelOptions.Default with { ExpertUsedCount = 0 }, nameof(TinyModelOptions.ExpertUsedCount) },
        { TinyModelOptions.Default with { ExpertUsedCount = 5 }, nameof(TinyModelOptions.ExpertUsedCount) },
        { TinyModelOptions.Default with { MoeLayerStep = 0 }, nameof(TinyModelOptions.MoeLayerStep) },
        { TinyModelOptions.Default with { FeedForwardLength = -1 }, nameof(TinyModelOptions.FeedForwardLength) },
        { TinyModelOptions.Default with { ContextLength = 0 }, nameof(TinyModelOptions.ContextLength) },
        { TinyModelOptions.Default with { MergeCount = -1 }, nameof(TinyModelOptions.MergeCount) },
        { TinyModelOptions.Default with { OrdinaryTokenCount = 555 }, nameof(TinyModelOptions.OrdinaryTokenCount) },
        { TinyModelOptions.Default with { OrdinaryTokenCount = (1 << 20) + 1 }, nameof(TinyModelOptions.OrdinaryTokenCount) },
        { TinyModelOptions.Default with { VocabularySize = 1699 }, nameof(TinyModelOptions.VocabularySize) },
        { TinyModelOptions.Default with { WeightStandardDeviation = float.NaN }, nameof(TinyModelOptions.WeightStandardDeviation) },
        { TinyModelOptions.Default with { TensorType = (TinyModelTensorType)7 }, nameof(TinyModelOptions.TensorType) },
        { TinyModelOptions.Default with { ModelName = " " }, nameof(TinyModelOptions.ModelName) },
        { TinyModelOptions.Default with { MetadataOverrides = new Dictionary<string, object?> { ["x"] = DateTime.UnixEpoch } }, nameof(TinyModelOptions.MetadataOverrides) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions), DisableDiscoveryEnumeration = true)]
    public void Write_InvalidOptions_ThrowsArgumentExceptionNamingTheOption(TinyModelOptions options, string option)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => TinyModelWriter.Write(Stream.Null, options));

        Assert.Equal(option, ex.ParamName);
    }

    [Fact]
    public void Write_TooManyMerges_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TinyModelWriter.WriteToArray(TinyModelOptions.Default with { MergeCount = 1_000_000 }));
    }

    [Fact]
    public void Larger_Preset_IsValidAndMuchLargerThanTheDefault()
    {
        TinyModelOptions larger = TinyModelOptions.Larger;

        larger.Validate();
        Assert.Equal(8, larger.LayerCount);
        Assert.Equal(1024, larger.EmbeddingLength);
        Assert.Equal(16, larger.ExpertCount);
        Assert.NotEqual(TinyModelCache.GetOptionsHash(TinyModelOptions.Default), TinyModelCache.GetOptionsHash(larger));
    }

    [Fact]
    public void WriteToArray_TensorTypeOverride_WritesThatTypeWithZeroDataOfItsSize()
    {
        var options = TinyModelOptions.Default with { TensorTypeOverrides = new Dictionary<string, int> { ["blk.0.attn_q.weight"] = 26, ["blk.0.ffn_down.weight"] = 12 } };

        byte[] bytes = TinyModelWriter.WriteToArray(options);
        GgufFile file = Read(bytes);

        GgufTensorInfo q = file.Tensors.Single(t => t.Name == "blk.0.attn_q.weight");
        Assert.Equal("I32", q.TypeName);
        Assert.Equal(128UL * 128 * 4, q.ByteLength);
        Assert.All(bytes.AsSpan((int)(file.DataOffset + (long)q.Offset), (int)q.ByteLength!.Value).ToArray(), b => Assert.Equal(0, b));
        GgufTensorInfo down = file.Tensors.Single(t => t.Name == "blk.0.ffn_down.weight");
        Assert.Equal("Q4_K", down.TypeName);
        Assert.Equal(256UL * 128 / 256 * 144, down.ByteLength);
        Assert.Equal("F16", file.Tensors.Single(t => t.Name == "blk.0.attn_k.weight").TypeName);
    }

    [Fact]
    public void WriteToArray_TensorTypeOverrideToF32_WritesRandomF32Weights()
    {
        var options = TinyModelOptions.Default with { TensorTypeOverrides = new Dictionary<string, int> { ["blk.0.attn_q.weight"] = 0 } };

        GgufFile file = Read(TinyModelWriter.WriteToArray(options));

        Assert.Equal("F32", file.Tensors.Single(t => t.Name == "blk.0.attn_q.weight").TypeName);
    }

    [Theory]
    [InlineData("blk.9.attn_q.weight", 26)]
    [InlineData("blk.0.attn_q.weight", 12)]
    [InlineData("blk.0.attn_q.weight", 4)]
    public void WriteToArray_TensorTypeOverrideThatCannotBeWritten_ThrowsArgumentException(string tensor, int type)
    {
        var options = TinyModelOptions.Default with { TensorTypeOverrides = new Dictionary<string, int> { [tensor] = type } };

        Assert.ThrowsAny<ArgumentException>(() => TinyModelWriter.WriteToArray(options));
    }

    private static GgufFile Read(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return GgufFile.Read(stream, "memory.gguf");
    }

    private static void AssertTensor(GgufTensorInfo tensor, string type, params ulong[] dimensions)
    {
        Assert.Equal(type, tensor.TypeName);
        Assert.Equal(dimensions, tensor.Dimensions);
    }
}
