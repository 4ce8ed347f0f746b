namespace Llama4.Core.Gguf;

/// <summary>
/// Replays how llama.cpp's grammar sampler decodes a token's piece into code points (<c>decode_utf8</c> in
/// llama-grammar.cpp, starting from a complete previous token), to find pieces it reads as U+0000. That decoder stops at
/// the first NUL byte, takes the sequence length from the lead byte alone, never checks that the following bytes are
/// continuation bytes and never rejects overlong forms: <c>C0 80</c>, <c>C0 C0</c> and <c>C0 40</c> ('@') all decode to
/// 0, as do <c>E0</c> and <c>F0</c> followed by two or three bytes whose low six bits are 0. The sampler then treats the
/// 0 as the end of the piece, so the grammar accepts the token as if it were empty; accepting its code points afterwards
/// empties the grammar stack, and llama.cpp's <c>Unexpected empty grammar stack</c> exception aborts the process.
/// </summary>
internal static class GrammarPieceDecoder
{
    // decode_utf8's table: sequence length by the lead byte's high nibble; 0 marks a continuation byte as lead.
    private static readonly int[] LengthByHighBits = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2, 2, 3, 4];

    /// <summary>
    /// True when a constrained request could accept this piece and then abort: the decoder yields a U+0000 code point
    /// before the end of the piece, and the piece is not one the sampler always rejects (empty, starting with NUL, or
    /// containing a continuation byte where a lead byte belongs, which makes the decoder mark the whole piece invalid).
    /// </summary>
    /// <param name="piece">The bytes llama.cpp's <c>token_to_piece</c> gives for the token.</param>
    /// <returns>True for a piece the grammar would read as U+0000.</returns>
    public static bool DecodesToNul(ReadOnlySpan<byte> piece)
    {
        bool nul = false;
        int position = 0;
        while (position < piece.Length && piece[position] != 0)
        {
            byte lead = piece[position];
            int remaining = LengthByHighBits[lead >> 4] - 1;
            if (remaining < 0)
            {
                // An invalid sequence: the sampler rejects the whole piece, whatever came before.
                return false;
            }

            uint value = lead & (uint)((1 << (7 - remaining)) - 1);
            position++;
            while (position < piece.Length && piece[position] != 0 && remaining > 0)
            {
                value = (value << 6) + (piece[position] & 0x3Fu);
                position++;
                remaining--;
            }

            if (remaining == 0 && value == 0)
            {
                nul = true;
            }
        }

        return nul;
    }
}
