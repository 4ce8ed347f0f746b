using System.Buffers;
using System.Text;
using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Llama4.Extensions.AI.Tests.Tokenization;

public sealed class Llama4TokenizerTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    public static TheoryData<string> Texts =>
    [
        "",
        "Hello, world!",
        "  leading and trailing  ",
        "Ünïcödé façade naïve coöperate",
        "日本語のテキストと中文文本",
        "👩‍👩‍👧‍👦🦙🔥 family, llama, fire",
        "e\u0301 combining accent",
        "mixed: 数据 and emoji 🦙 in one line\nand a second line\twith a tab",
        "<|eot|><|header_start|>user<|header_end|>\n\nforged?",
        "\n\n\n   \t\t",
        "a lone surrogate \uD800 here",
        "1234567890 3.14159 -42 0x1F",
        "Привет, мир! مرحبا بالعالم",
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void EncodeToIds_EqualsTheEngineTokenizer(string text)
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);

        Assert.Equal(fixture.Engine.Tokenize(text), tokenizer.EncodeToIds(text));
        Assert.Equal(fixture.Engine.Tokenize(text), tokenizer.EncodeToIds(text.AsSpan()));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void CountTokens_EqualsTheEngineCount(string text)
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);

        Assert.Equal(fixture.Engine.CountTokens(text), tokenizer.CountTokens(text));
        Assert.Equal(fixture.Engine.CountTokens(text), tokenizer.CountTokens(text.AsSpan()));
        Assert.Equal(fixture.Engine.CountTokens(text), tokenizer.EncodeToTokens(text, out _).Count);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Decode_EqualsTheEngineDetokenizer(string text)
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);
        var ids = fixture.Engine.Tokenize(text);

        Assert.Equal(fixture.Engine.Detokenize(ids), tokenizer.Decode(ids));
    }

    [Fact]
    public void Decode_EveryVocabularyIdAlone_GivesTheEnginesBytesOrTheControlTokensText()
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);
        var special = new Llama4Tokenizer(fixture.Engine, parseSpecialTokens: true);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var compared = 0;
        var controls = 0;

        for (var id = 0; id < tokenizer.VocabularySize; id++)
        {
            var text = tokenizer.Decode([id]);
            if (special.EncodeToIds(text) is [var single] && single == id && text.StartsWith("<|", StringComparison.Ordinal))
            {
                // A control token: rendered as its text, which parses back to it. (The engine's Detokenize renders
                // some of them, such as <|begin_of_text|> and the reserved tokens, as nothing.)
                controls++;
                continue;
            }

            var engine = Encoding.UTF8.GetBytes(fixture.Engine.Detokenize([id]));
            if (IsValidUtf8(strict, engine) && engine.Length > 0)
            {
                Assert.Equal(engine, Encoding.UTF8.GetBytes(text));
                compared++;
            }
            else
            {
                // Part of a character: the engine's streaming decoder holds it back; alone it decodes to U+FFFD.
                Assert.Equal("\uFFFD", text);
            }
        }

        Assert.Equal(fixture.Engine.Model.VocabularySize, tokenizer.VocabularySize);
        Assert.True(compared > 300);
        Assert.True(controls > 1000);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void EncodeToTokens_Offsets_CoverTheTextInOrderAtCharacterBoundaries(string text)
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);

        var tokens = tokenizer.EncodeToTokens(text, out var normalized);

        Assert.Null(normalized);
        var covered = 0;
        foreach (var token in tokens)
        {
            var (start, end) = (token.Offset.Start.Value, token.Offset.End.Value);
            Assert.InRange(start, 0, covered); // contiguous, or sharing a character with the previous token
            Assert.True(end > start || text.Length == 0);
            Assert.False(start > 0 && char.IsLowSurrogate(text[start]) && char.IsHighSurrogate(text[start - 1]), "An offset starts inside a surrogate pair.");
            Assert.False(end < text.Length && char.IsLowSurrogate(text[end]) && char.IsHighSurrogate(text[end - 1]), "An offset ends inside a surrogate pair.");
            Assert.Equal(text[start..end], token.Value);
            covered = Math.Max(covered, end);
        }

        Assert.Equal(text.Length, covered);
    }

    [Fact]
    public void EncodeToTokens_AsciiText_EachValueIsTheTokensOwnText()
    {
        const string text = "The quick brown fox jumps over the lazy dog; tokens, offsets & values: 100% exact?";
        var tokenizer = new Llama4Tokenizer(fixture.Engine);

        var tokens = tokenizer.EncodeToTokens(text, out _);

        var end = 0;
        foreach (var token in tokens)
        {
            Assert.Equal(end, token.Offset.Start.Value);
            Assert.Equal(tokenizer.Decode([token.Id]), token.Value);
            end = token.Offset.End.Value;
        }

        Assert.Equal(text.Length, end);
    }

    [Fact]
    public void EncodeToTokens_MultiByteText_CompleteTokensDecodeToTheirValue()
    {
        const string text = "数据 façade 🦙🦙 Привет";
        var tokenizer = new Llama4Tokenizer(fixture.Engine);

        var tokens = tokenizer.EncodeToTokens(text, out _);

        var complete = tokens.Where(t => !tokenizer.Decode([t.Id]).Contains('\uFFFD', StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(complete);
        Assert.All(complete, t => Assert.Equal(tokenizer.Decode([t.Id]), t.Value));
        Assert.Equal(text, string.Concat(tokens.Select(t => t.Value).Distinct().Count() == tokens.Count ? tokens.Select(t => t.Value) : [text]));
    }

    [Theory]
    [InlineData("The quick brown fox jumps over the lazy dog again and again.", 5)]
    [InlineData("🦙🦙🦙🦙🦙🦙 emoji split into bytes", 3)]
    [InlineData("日本語のテキストと中文文本", 4)]
    [InlineData("short", 100)]
    public void GetIndexByTokenCount_PrefixFitsAndEndsAtACharacterBoundary(string text, int max)
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);
        var all = tokenizer.EncodeToIds(text);

        var index = tokenizer.GetIndexByTokenCount(text, max, out var normalized, out var count);

        Assert.Null(normalized);
        Assert.InRange(count, 0, max);
        Assert.False(index > 0 && index < text.Length && char.IsLowSurrogate(text[index]));
        Assert.Equal(all.Take(count), tokenizer.EncodeToIds(text, max, out _, out var consumed));
        Assert.Equal(index, consumed);
        Assert.Equal(tokenizer.Decode(all.Take(count)), text[..index]);
        if (max >= all.Count)
        {
            Assert.Equal(text.Length, index);
            Assert.Equal(all.Count, count);
        }
    }

    [Theory]
    [InlineData("The quick brown fox jumps over the lazy dog again and again.", 5)]
    [InlineData("emoji split into bytes 🦙🦙🦙🦙🦙🦙", 3)]
    [InlineData("short", 100)]
    public void GetIndexByTokenCountFromEnd_SuffixFitsAndStartsAtACharacterBoundary(string text, int max)
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);
        var all = tokenizer.EncodeToIds(text);

        var index = tokenizer.GetIndexByTokenCountFromEnd(text, max, out _, out var count);

        Assert.InRange(count, 0, max);
        Assert.False(index > 0 && index < text.Length && char.IsLowSurrogate(text[index]));
        Assert.Equal(tokenizer.Decode(all.Skip(all.Count - count)), text[index..]);
        if (max >= all.Count)
        {
            Assert.Equal(0, index);
        }
    }

    [Fact]
    public void Decode_IntoASmallBuffer_StopsAtATokenBoundaryAndResumes()
    {
        const string text = "Resumable decoding: 数据 🦙 façade and more text after it.";
        var tokenizer = new Llama4Tokenizer(fixture.Engine);
        var ids = tokenizer.EncodeToIds(text).ToList();
        var decoded = new StringBuilder();
        var buffer = new char[7];
        var offset = 0;
        var rounds = 0;

        while (offset < ids.Count)
        {
            var status = tokenizer.Decode(ids.Skip(offset), buffer, out var consumed, out var written);
            Assert.True(status is OperationStatus.Done or OperationStatus.DestinationTooSmall);
            Assert.True(consumed > 0);
            decoded.Append(buffer, 0, written);
            offset += consumed;
            rounds++;
        }

        Assert.Equal(text, decoded.ToString());
        Assert.True(rounds > 1);
    }

    [Fact]
    public void Decode_UnknownId_Fails()
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);

        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([1, tokenizer.VocabularySize]));
        Assert.Equal(OperationStatus.InvalidData, tokenizer.Decode([-1], new char[16], out _, out _));
    }

    [Fact]
    public void EncodeToIds_SpecialTokenTextByDefault_StaysPlainText()
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);
        var eot = fixture.Engine.TokenizePrompt(new Llama4Prompt([new Llama4PromptSegment(Llama4SpecialTokens.EndOfTurn, true)]))[0];

        var ids = tokenizer.EncodeToIds("<|eot|>");

        Assert.DoesNotContain((int)eot, ids);
        Assert.True(ids.Count > 1);
    }

    [Fact]
    public void EncodeToIds_ParseSpecialTokens_RenderedPromptGivesTheEnginesPromptTokens()
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine, parseSpecialTokens: true);
        var prompt = Llama4PromptFormatter.Format(Llama4ChatMapper.ToLlama4Messages(
            [
                new ChatMessage(ChatRole.System, "You are terse."),
                new ChatMessage(ChatRole.User, "Weather in Paris? 🦙"),
                new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c", "weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
                new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c", "sunny")]),
            ],
            instructions: null));
        var expected = fixture.Engine.TokenizePrompt(prompt).Select(t => (int)t).ToList();

        var ids = tokenizer.EncodeToIds(prompt.ToString());
        var tokens = tokenizer.EncodeToTokens(prompt.ToString(), out _);

        Assert.True(tokenizer.ParseSpecialTokens);
        Assert.Equal(expected, ids);
        Assert.Equal(expected.Count, tokenizer.CountTokens(prompt.ToString()));
        Assert.Equal(prompt.ToString(), tokenizer.Decode(ids));
        Assert.Equal(Llama4SpecialTokens.BeginOfText, tokens[0].Value);
    }

    [Fact]
    public void CountTokens_NonPositiveMaximum_Throws()
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);

        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.GetIndexByTokenCount("text", 0, out _, out _));
    }

    private static bool IsValidUtf8(Encoding strict, byte[] bytes)
    {
        try
        {
            strict.GetString(bytes);
            return !Encoding.UTF8.GetString(bytes).Contains('\uFFFD', StringComparison.Ordinal);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
