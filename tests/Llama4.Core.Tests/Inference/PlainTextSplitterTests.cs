using Llama4.Core.Inference;

namespace Llama4.Core.Tests.Inference;

public sealed class PlainTextSplitterTests
{
    [Fact]
    public void Split_ShortText_OnePiece()
    {
        Assert.Equal([(0, 11)], PlainTextSplitter.Split("Hello world"));
        Assert.Equal([(0, 0)], PlainTextSplitter.Split(string.Empty));
    }

    [Theory]
    [InlineData(' ')]
    [InlineData('a')]
    [InlineData('!')]
    [InlineData('7')]
    public void Split_LongRunWithoutBoundary_CutIntoPiecesNoLongerThanMaxRun(char c)
    {
        var text = new string(c, 100_000);

        var pieces = PlainTextSplitter.Split(text);

        AssertCovers(text, pieces);
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, PlainTextSplitter.MaxRun));
    }

    [Fact]
    public void Split_OrdinaryLongText_CutOnlyAtSafeBoundaries()
    {
        var text = string.Concat(Enumerable.Repeat("The quick brown fox jumps over 13 lazy dogs.\n", 2000));

        var pieces = PlainTextSplitter.Split(text);

        AssertCovers(text, pieces);
        Assert.True(pieces.Count > 1);
        foreach (var (start, _) in pieces.Skip(1))
        {
            // Every cut is between a letter/digit/punctuation/line break and what may follow it, never inside a word.
            Assert.False(char.IsLetter(text[start - 1]) && char.IsLetter(text[start]), $"cut inside a word at {start}");
        }
    }

    [Fact]
    public void Split_SurrogatePairs_NeverCutBetweenHalves()
    {
        var text = string.Concat(Enumerable.Repeat("\U0001F600", 5_000));

        var pieces = PlainTextSplitter.Split(text);

        AssertCovers(text, pieces);
        Assert.All(pieces.Skip(1), p => Assert.False(char.IsLowSurrogate(text[p.Start])));
    }

    [Theory]
    [InlineData("ab 12", new[] { 2 })]
    [InlineData("a\nb", new[] { 1, 2 })]
    [InlineData("x!1", new[] { 1, 2 })]
    [InlineData("don't", new int[0])]
    [InlineData("  x", new int[0])]
    [InlineData("a/\nb", new[] { 1, 3 })]
    public void Split_PieceOfOneCharacter_CutsExactlyAtSafeBoundaries(string text, int[] cuts)
    {
        var pieces = PlainTextSplitter.Split(text, pieceCharacters: 1, maxRun: 1000);

        Assert.Equal(cuts, pieces.Skip(1).Select(p => p.Start).ToArray());
    }

    private static void AssertCovers(string text, List<(int Start, int Length)> pieces)
    {
        var position = 0;
        foreach (var (start, length) in pieces)
        {
            Assert.Equal(position, start);
            position += length;
        }

        Assert.Equal(text.Length, position);
    }
}
