using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;

namespace Llama4.TinyModel.Tests;

/// <summary>The generated file as llama.cpp (through LLamaSharp 0.30) sees it.</summary>
public sealed class TinyModelLlamaSharpTests : IClassFixture<LoadedTinyModelFixture>
{
    private readonly LoadedTinyModelFixture _model;

    public TinyModelLlamaSharpTests(LoadedTinyModelFixture model)
    {
        _model = model;
    }

    [Fact]
    public void LoadFromFile_DefaultModel_ReportsShapesAndTrainingContext()
    {
        LLamaWeights weights = _model.Weights;

        Assert.Equal(131072, weights.ContextSize);
        Assert.Equal(128, weights.EmbeddingSize);
        Assert.Equal(_model.Vocabulary.Tokens.Count, weights.Vocab.Count);
        Assert.Equal("llama4", weights.Metadata["general.architecture"]);
    }

    [Fact]
    public void Vocab_SpecialIds_MatchTheWrittenMetadata()
    {
        SafeLlamaModelHandle.Vocabulary vocab = _model.Weights.Vocab;
        TinyModelVocabulary expected = _model.Vocabulary;

        Assert.Equal(expected.BeginOfTextId, (int)vocab.BOS!.Value);
        Assert.Equal(expected.EndOfTurnId, (int)vocab.EOS!.Value);
        Assert.Equal(expected.EndOfTurnId, (int)vocab.EOT!.Value);
        Assert.Equal(expected.PaddingId, (int)vocab.Pad!.Value);
        Assert.True(vocab.ShouldAddBOS);
        Assert.False(vocab.ShouldAddEOS);
        Assert.True(((LLamaToken)expected.EndOfTurnId).IsEndOfGeneration(vocab));
        Assert.True(((LLamaToken)expected.EndOfMessageId).IsEndOfGeneration(vocab));
    }

    [Fact]
    public void Tokenize_EverySpecialToken_IsOneControlTokenAtItsMetaOffset()
    {
        SafeLlamaModelHandle.Vocabulary vocab = _model.Weights.Vocab;
        IReadOnlyList<string> specials = TinyModelSpecialTokens.All;

        for (int offset = 0; offset < specials.Count; offset++)
        {
            LLamaToken[] tokens = _model.Weights.Tokenize(specials[offset], add_bos: false, special: true, Encoding.UTF8);

            Assert.True(tokens.Length == 1, $"{specials[offset]} tokenized to {tokens.Length} tokens");
            Assert.Equal(_model.Vocabulary.BeginOfTextId + offset, (int)tokens[0]);
            Assert.True(tokens[0].IsControl(vocab), $"{specials[offset]} is not a control token");
            Assert.True(tokens[0].GetAttributes(vocab).HasFlag(LLamaTokenAttr.Control));
        }
    }

    [Fact]
    public void Tokenize_EotAsPlainText_IsNotTheEotToken()
    {
        LLamaToken[] tokens = _model.Weights.Tokenize("Hello <|eot|> there", add_bos: false, special: false, Encoding.UTF8);

        Assert.DoesNotContain(tokens, t => (int)t == _model.Vocabulary.EndOfTurnId);
        Assert.True(tokens.Length > 3);
    }

    [Fact]
    public void Tokenize_WithAddBos_StartsWithBeginOfText()
    {
        LLamaToken[] tokens = _model.Weights.Tokenize("Hi", add_bos: true, special: false, Encoding.UTF8);

        Assert.Equal(_model.Vocabulary.BeginOfTextId, (int)tokens[0]);
    }

    [Fact]
    public void Tokenize_CorpusWords_UseTheLearnedMerges()
    {
        const string text = " the weather in the harbour";

        LLamaToken[] tokens = _model.Weights.Tokenize(text, add_bos: false, special: false, Encoding.UTF8);

        Assert.True(tokens.Length < Encoding.UTF8.GetByteCount(text) / 2, $"{tokens.Length} tokens: merges were not applied");
        Assert.Contains(tokens, t => (int)t >= 256 && (int)t < _model.Vocabulary.BeginOfTextId);
        var decoded = new StringBuilder();
        foreach (LLamaToken token in tokens)
        {
            decoded.Append(_model.Weights.Vocab.LLamaTokenToString(token, isSpecialToken: false));
        }

        Assert.Equal(text, decoded.ToString());
    }

    [Fact]
    public void ChatTemplate_LLamaTemplate_RecognisesTheLlama4Layout()
    {
        var template = new LLamaTemplate(_model.Weights) { AddAssistant = true };
        template.Add("system", "Be brief.");
        template.Add("user", "Hi");

        string prompt = Encoding.UTF8.GetString(template.Apply());

        Assert.Equal(
            "<|header_start|>system<|header_end|>\n\nBe brief.<|eot|><|header_start|>user<|header_end|>\n\nHi<|eot|><|header_start|>assistant<|header_end|>\n\n",
            prompt);
    }

    [Fact]
    public async Task InferAsync_GreedyShortGeneration_ProducesTokensWithoutCrashing()
    {
        var executor = new StatelessExecutor(_model.Weights, new ModelParams(_model.ModelPath) { ContextSize = 512, GpuLayerCount = 0 });
        var parameters = new InferenceParams { MaxTokens = 8, SamplingPipeline = new GreedySamplingPipeline() };
        const string prompt = "<|begin_of_text|><|header_start|>user<|header_end|>\n\nWhat is the weather in Paris?<|eot|><|header_start|>assistant<|header_end|>\n\n";

        var pieces = new List<string>();
        await foreach (string piece in executor.InferAsync(prompt, parameters, TestContext.Current.CancellationToken))
        {
            pieces.Add(piece);
        }

        Assert.NotEmpty(pieces);
        Assert.True(pieces.Count <= 8);
    }
}
