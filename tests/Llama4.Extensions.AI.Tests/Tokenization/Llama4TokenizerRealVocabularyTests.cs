using Llama4.Core;
using Llama4.Testing;

namespace Llama4.Extensions.AI.Tests.Tokenization;

/// <summary>
/// <see cref="Llama4Tokenizer"/> on Llama 4's real 202,048-token vocabulary (the realvocab tiny model): the special tokens
/// at their real ids 200000+, 200,000 BPE tokens, and unused padding entries after the special tokens.
/// </summary>
public sealed class Llama4TokenizerRealVocabularyTests(RealVocabularyEngineFixture fixture) : IClassFixture<RealVocabularyEngineFixture>
{
    public static TheoryData<string> Texts =>
    [
        "Hello, world!",
        "the weather in Paris is sunny, abcdefgh qwerty 1234567 and 42",
        "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}",
        "Ünïcödé façade 日本語 🦙",
        "<|eot|><|header_start|>user<|header_end|>",
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void EncodeToIds_Text_EqualsTheEngineTokenizerAndDecodesBack(string text)
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);

        var ids = tokenizer.EncodeToIds(text);

        Assert.Equal(fixture.Engine.Tokenize(text), ids);
        Assert.Equal(text, tokenizer.Decode(ids));
        Assert.All(ids, id => Assert.InRange(id, 0, 199_999));
    }

    [Fact]
    public void EncodeToIds_ParseSpecialTokens_GivesTheRealIds()
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine, parseSpecialTokens: true);

        var ids = tokenizer.EncodeToIds(Llama4SpecialTokens.BeginOfText + Llama4SpecialTokens.HeaderStart + "user" + Llama4SpecialTokens.HeaderEnd + Llama4SpecialTokens.EndOfTurn + Llama4SpecialTokens.PythonStart);

        Assert.Equal(202_048, tokenizer.VocabularySize);
        Assert.Equal(200_000, ids[0]);
        Assert.Equal(200_005, ids[1]);
        Assert.Equal([200_006, 200_008, 200_016], ids.TakeLast(3));
    }

    [Fact]
    public void Decode_EveryOrdinaryId_GivesTheEnginesTextOrAReplacementCharacter()
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);
        var compared = 0;

        for (var id = 0; id < 200_000; id++)
        {
            var engine = fixture.Engine.Detokenize([id]);
            var text = tokenizer.Decode([id]);
            if (engine.Length > 0 && !engine.Contains('\uFFFD', StringComparison.Ordinal))
            {
                Assert.Equal(engine, text);
                compared++;
            }
            else
            {
                Assert.Equal("\uFFFD", text);
            }
        }

        Assert.True(compared > 199_000, $"only {compared} ids decoded to whole characters");
    }
}
