using System.Text;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;
using Llama4.Core;

namespace Llama4.TinyModel.Tests;

/// <summary><see cref="TinyModelOptions.RealVocabulary"/>: Llama 4's 202,048 entries with the special tokens at their real ids.</summary>
public sealed class TinyModelRealVocabularyTests(RealVocabularyModelFixture model) : IClassFixture<RealVocabularyModelFixture>
{
    [Fact]
    public void Create_RealVocabulary_HasOrdinaryTokensThenSpecialsAtTheirRealIdsThenPadding()
    {
        TinyModelVocabulary vocabulary = model.Vocabulary;

        Assert.Equal(202_048, vocabulary.Tokens.Count);
        Assert.Equal(200_000, vocabulary.BeginOfTextId);
        Assert.Equal(200_008, vocabulary.EndOfTurnId);
        Assert.Equal(200_007, vocabulary.EndOfMessageId);
        Assert.Equal(200_016, vocabulary.IdOf(TinyModelSpecialTokens.PythonStart));
        Assert.Equal(200_092, vocabulary.IdOf(TinyModelSpecialTokens.Patch));
        Assert.Equal(vocabulary.Tokens.Count, vocabulary.Tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(200_000 - 256, vocabulary.Merges.Count);
        Assert.All(vocabulary.TokenTypes.Take(200_000), t => Assert.Equal(TinyModelVocabulary.NormalTokenType, t));
        Assert.All(vocabulary.TokenTypes.Skip(200_000).Take(1144), t => Assert.Equal(TinyModelVocabulary.ControlTokenType, t));
        Assert.All(vocabulary.TokenTypes.Skip(201_144), t => Assert.Equal(TinyModelVocabulary.UnusedTokenType, t));
        Assert.Equal("[PAD202047]", vocabulary.Tokens[^1]);
    }

    [Fact]
    public void Create_RealVocabulary_EveryMergeJoinsTwoEarlierTokensIntoTheNext()
    {
        TinyModelVocabulary vocabulary = model.Vocabulary;

        for (int i = 0; i < vocabulary.Merges.Count; i++)
        {
            string merge = vocabulary.Merges[i];
            int space = merge.IndexOf(' ', StringComparison.Ordinal);
            Assert.True(space > 0 && space == merge.LastIndexOf(' '), merge);
            int left = vocabulary.IdOf(merge[..space]);
            int right = vocabulary.IdOf(merge[(space + 1)..]);
            Assert.InRange(left, 0, 256 + i - 1);
            Assert.InRange(right, 0, 256 + i - 1);
            Assert.Equal(256 + i, vocabulary.IdOf(merge[..space] + merge[(space + 1)..]));
        }
    }

    [Fact]
    public void WriteToArray_TiedOutput_OmitsTheOutputTensor()
    {
        TinyModelOptions tiny = TinyModelOptions.Default with { TiedOutput = true };

        string path = TinyModelCache.GetOrCreate(tiny);
        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);

        Assert.Equal(TinyModelVocabulary.Create(300).Tokens.Count, info.VocabularySize);
        Assert.True(new FileInfo(path).Length < new FileInfo(TinyModelCache.GetOrCreate(TinyModelOptions.Default)).Length);
        Assert.DoesNotContain("output.weight", Llama4.Core.Gguf.GgufFile.Read(path).Tensors.Select(t => t.Name));
    }

    [Fact]
    public void LoadFromFile_RealVocabulary_ReportsTheRealIdsAndVocabularySize()
    {
        SafeLlamaModelHandle.Vocabulary vocab = model.Weights.Vocab;

        Assert.Equal(202_048, vocab.Count);
        Assert.Equal(200_000, (int)vocab.BOS!.Value);
        Assert.Equal(200_008, (int)vocab.EOT!.Value);
        Assert.True(((LLamaToken)200_007).IsEndOfGeneration(vocab));
        Assert.Equal(
            [200_000, 200_005],
            model.Weights.Tokenize("<|begin_of_text|><|header_start|>", add_bos: false, special: true, Encoding.UTF8).Select(t => (int)t));
    }

    [Fact]
    public void Tokenize_Text_UsesGeneratedMergesAndRoundTrips()
    {
        const string text = " the weather in Paris is {\"city\": \"Paris\"} 2025 and abcdef";

        LLamaToken[] tokens = model.Weights.Tokenize(text, add_bos: false, special: false, Encoding.UTF8);

        Assert.True(tokens.Length < Encoding.UTF8.GetByteCount(text) / 2, $"{tokens.Length} tokens: merges were not applied");
        Assert.Contains(tokens, t => (int)t > 256 + TinyModelOptions.RealVocabulary.MergeCount);
        var decoded = new StringBuilder();
        foreach (LLamaToken token in tokens)
        {
            decoded.Append(model.Weights.Vocab.LLamaTokenToString(token, isSpecialToken: false));
        }

        Assert.Equal(text, decoded.ToString());
    }

    [Fact]
    public async Task InferAsync_RealVocabulary_GivesLogitsForEveryToken()
    {
        using var executor = new BatchedExecutor(model.Weights, new ModelParams(model.ModelPath) { ContextSize = 512, GpuLayerCount = 0 });
        using Conversation conversation = executor.Create();
        conversation.Prompt(model.Weights.Tokenize("<|begin_of_text|>Hello there", add_bos: false, special: true, Encoding.UTF8));
        var sampler = new GreedySamplingPipeline();

        Assert.Equal(DecodeResult.Ok, await executor.Infer(TestContext.Current.CancellationToken));
        Assert.Equal(202_048, conversation.Sample().Length);
        LLamaToken token = sampler.Sample(executor.Context.NativeHandle, conversation.GetSampleIndex());
        Assert.InRange((int)token, 0, 202_047);
    }
}
