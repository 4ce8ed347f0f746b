using Llama4.Core.Gguf;

namespace Llama4.Core.Tests.Gguf;

public sealed class GrammarPieceDecoderTests
{
    public static TheoryData<string, bool> Pieces => new()
    {
        // Overlong forms llama.cpp's grammar decoder reads as U+0000: it takes the length from the lead byte and keeps
        // only the low six bits of the following bytes, whatever they are.
        { "C0 80", true },
        { "C0 C0", true },
        { "C0 40", true },
        { "E0 80 80", true },
        { "E0 40 C0", true },
        { "F0 80 80 80", true },
        { "61 C0 80", true },
        { "C0 80 62", true },
        { "C3 A9 C0 80", true },

        // Not U+0000, or a piece the sampler always rejects.
        { "C1 80", false },
        { "D0 80", false },
        { "E1 80 80", false },
        { "F1 80 80 80", false },
        { "C0", false },
        { "E0 80", false },
        { "00 C0 80", false },
        { "80 C0 80", false },
        { "C0 80 80", false },
        { "C3 A9", false },
        { "61 62 63", false },
        { "", false },
    };

    [Theory]
    [MemberData(nameof(Pieces))]
    public void DecodesToNul_Piece_MatchesLlamaCppsGrammarDecoder(string hex, bool expected)
    {
        byte[] piece = hex.Length == 0 ? [] : Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

        Assert.Equal(expected, GrammarPieceDecoder.DecodesToNul(piece));
    }
}
