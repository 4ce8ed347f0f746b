namespace Llama4.TinyModel.Tests;

public sealed class TinyModelVocabularyTests
{
    [Fact]
    public void All_SpecialTokens_AreThe1144MetaTokensInOrder()
    {
        IReadOnlyList<string> all = TinyModelSpecialTokens.All;

        Assert.Equal(1144, all.Count);
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("<|begin_of_text|>", all[0]);
        Assert.Equal("<|end_of_text|>", all[1]);
        Assert.Equal("<|step|>", all[9]);
        Assert.Equal("<|text_post_train_reserved_special_token_0|>", all[10]);
        Assert.Equal("<|text_post_train_reserved_special_token_66|>", all[79]);
        Assert.Equal("<|vision_reserved_special_token_1047|>", all[1133]);
        Assert.Equal("<|reasoning_reserved_special_token_0|>", all[1134]);
        Assert.Equal("<|reasoning_thinking_start|>", all[1142]);
        Assert.Equal("<|reasoning_thinking_end|>", all[1143]);
    }

    [Theory]
    [InlineData("<|begin_of_text|>", 0)]
    [InlineData("<|header_start|>", 5)]
    [InlineData("<|header_end|>", 6)]
    [InlineData("<|eom|>", 7)]
    [InlineData("<|eot|>", 8)]
    [InlineData("<|python_start|>", 16)]
    [InlineData("<|python_end|>", 17)]
    [InlineData("<|finetune_right_pad|>", 18)]
    [InlineData("<|image_start|>", 80)]
    [InlineData("<|image_end|>", 81)]
    [InlineData("<|tile_x_separator|>", 84)]
    [InlineData("<|tile_y_separator|>", 85)]
    [InlineData("<|image|>", 90)]
    [InlineData("<|patch|>", 92)]
    public void OffsetOf_SpecialToken_MatchesMetaIdMinus200000(string token, int offset)
    {
        Assert.Equal(offset, TinyModelSpecialTokens.OffsetOf(token));
    }

    [Fact]
    public void Create_DefaultMergeCount_HasBytesMergesThenSpecials()
    {
        TinyModelVocabulary vocabulary = TinyModelVocabulary.Create(300);

        Assert.Equal(256 + 300 + 1144, vocabulary.Tokens.Count);
        Assert.Equal(556, vocabulary.BeginOfTextId);
        Assert.Equal(vocabulary.Tokens.Count, vocabulary.Tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(300, vocabulary.Merges.Count);
        Assert.Equal("Ġ", vocabulary.Tokens[' ']);
        Assert.Equal("A", vocabulary.Tokens['A']);
        Assert.All(vocabulary.Tokens.Take(556), t => Assert.DoesNotContain(' ', t));
        Assert.All(vocabulary.TokenTypes.Take(556), t => Assert.Equal(TinyModelVocabulary.NormalTokenType, t));
        Assert.All(vocabulary.TokenTypes.Skip(556), t => Assert.Equal(TinyModelVocabulary.ControlTokenType, t));
        Assert.Equal(vocabulary.BeginOfTextId + 8, vocabulary.EndOfTurnId);
        Assert.Equal(vocabulary.BeginOfTextId + 7, vocabulary.EndOfMessageId);
        Assert.Equal(vocabulary.BeginOfTextId + 18, vocabulary.PaddingId);
    }

    [Fact]
    public void Create_Merges_EachProduceTheNextToken()
    {
        TinyModelVocabulary vocabulary = TinyModelVocabulary.Create(300);

        for (int i = 0; i < vocabulary.Merges.Count; i++)
        {
            string[] parts = vocabulary.Merges[i].Split(' ');
            Assert.Equal(2, parts.Length);
            Assert.True(vocabulary.IdOf(parts[0]) >= 0 && vocabulary.IdOf(parts[0]) < 256 + i, parts[0]);
            Assert.True(vocabulary.IdOf(parts[1]) >= 0 && vocabulary.IdOf(parts[1]) < 256 + i, parts[1]);
            Assert.Equal(256 + i, vocabulary.IdOf(parts[0] + parts[1]));
        }
    }

    [Fact]
    public void Create_SameCount_IsDeterministicAcrossInstances()
    {
        Assert.Equal(TinyModelVocabulary.Create(50).Merges, TinyModelVocabulary.Create(300).Merges.Take(50));
    }
}
