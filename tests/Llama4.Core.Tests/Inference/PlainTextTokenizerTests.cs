using System.Text;
using Llama4.Core.Inference;
using Llama4.Testing;

namespace Llama4.Core.Tests.Inference;

/// <summary>
/// Plain-text tokenization through llama.cpp's <c>llama4</c> pre-tokenizer (real tokenizer of the tiny model): cutting
/// at safe boundaries gives the same ids as one call, and no input can overflow the native stack.
/// </summary>
public sealed class PlainTextTokenizerTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private const string Alphabet = "aeioustrnAEIOUSTRN0123456789   \t\n\r.,;:!?'\"/\\-_()[]{}<>@#$%^&*=+~`|éüßçÉ中文字ПриветΩ\u0301\u00A0\u3000\u200D😀";

    [Fact]
    public void Tokenize_CutAtEverySafeBoundary_SameIdsAsOneCall()
    {
        var random = new Random(20261207);
        var engine = fixture.Engine;
        for (var sample = 0; sample < 120; sample++)
        {
            var text = RandomText(random, random.Next(1, 160));

            var whole = engine.Tokenize(text);
            var pieces = PlainTextSplitter.Split(text, pieceCharacters: 1, maxRun: 1000)
                .SelectMany(p => engine.Tokenize(text.Substring(p.Start, p.Length)))
                .ToArray();

            Assert.True(whole.SequenceEqual(pieces), $"Sample {sample} tokenizes differently when cut: {Escape(text)}");
        }
    }

    [Fact]
    public void Tokenize_OrdinaryText_SameIdsAsOneCall()
    {
        var engine = fixture.Engine;
        const string text = "Hello, world! It's 2026-12-07; the price is $1,234.56.\nNew line:\tTabbed\r\nFinal line with   spaces and don't stop.";

        var pieces = PlainTextSplitter.Split(text, pieceCharacters: 1, maxRun: 1000)
            .SelectMany(p => engine.Tokenize(text.Substring(p.Start, p.Length)))
            .ToArray();

        Assert.Equal(engine.Tokenize(text), pieces);
    }

    [Theory]
    [InlineData("spaces")]
    [InlineData("letters")]
    [InlineData("bangs")]
    [InlineData("digits")]
    [InlineData("cjk")]
    [InlineData("combining")]
    [InlineData("newlines")]
    public void Tokenize_PathologicalLongWord_RoundTripsOnASmallStack(string kind)
    {
        var text = kind switch
        {
            "spaces" => new string(' ', 100_000),
            "letters" => new string('a', 100_000),
            "bangs" => new string('!', 100_000),
            "digits" => new string('9', 100_000),
            "cjk" => string.Concat(Enumerable.Repeat("中文字", 30_000)),
            "combining" => "a" + new string('\u0301', 60_000),
            _ => string.Concat(Enumerable.Repeat(" \n", 50_000)),
        };
        IReadOnlyList<int>? tokens = null;

        // A thread with a 512 KiB stack (a third of .NET's default for secondary threads on Linux): without the cuts,
        // llama.cpp's regex recursion would need megabytes for these inputs and abort the process.
        var thread = new Thread(() => tokens = fixture.Engine.Tokenize(text), 512 * 1024);
        thread.Start();
        thread.Join();

        Assert.NotNull(tokens);
        Assert.NotEmpty(tokens);
        Assert.Equal(text, fixture.Engine.Detokenize(tokens));
    }

    [Fact]
    public void Tokenize_LimitPassed_StopsEarlyWithNull()
    {
        var calls = 0;
        var tokenizer = new PlainTextTokenizer(text =>
        {
            calls++;
            return [.. text.Select(c => (LLama.Native.LLamaToken)c)];
        });
        var text = string.Concat(Enumerable.Repeat("word ", 100_000));

        Assert.Null(tokenizer.Tokenize(text, 1000, CancellationToken.None));
        Assert.InRange(calls, 1, 2);
        Assert.Equal(text.Length, tokenizer.Tokenize(text, int.MaxValue, CancellationToken.None)!.Length);
    }

    [Fact]
    public void Tokenize_Cancelled_ThrowsBetweenPieces()
    {
        var tokenizer = new PlainTextTokenizer(_ => []);
        var text = string.Concat(Enumerable.Repeat("word ", 100_000));

        Assert.Throws<OperationCanceledException>(() => tokenizer.Tokenize(text, int.MaxValue, new CancellationToken(canceled: true)));
    }

    private static string RandomText(Random random, int length)
    {
        var text = new StringBuilder();
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(Alphabet);
        var units = new List<string>();
        while (elements.MoveNext())
        {
            units.Add((string)elements.Current);
        }

        // Runs of one unit now and then, so that long words, digit groups and white-space runs occur.
        while (text.Length < length)
        {
            var unit = units[random.Next(units.Count)];
            var repeat = random.Next(8) == 0 ? random.Next(2, 9) : 1;
            for (var i = 0; i < repeat; i++)
            {
                text.Append(unit);
            }
        }

        return text.ToString();
    }

    private static string Escape(string text) => string.Concat(text.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString()));
}
