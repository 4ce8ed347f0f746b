using System.Text;
using LLama.Native;

namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// Lets a grammar check skip most of the vocabulary without calling llama.cpp. llama.cpp's grammar sampler reads a
/// token as the UTF-8 code points of its piece; when it rejects the single-byte token <c>b</c>, it rejects every token
/// whose piece starts with <c>b</c> and is well-formed UTF-8 (an incomplete last character allowed), whatever state it
/// is in: the first code point (or the partial one) such a token starts with is one the grammar has no room for.
/// Tokens this cannot vouch for (end-of-generation tokens, empty pieces, pieces with invalid UTF-8, which llama.cpp
/// treats specially, or starting with a byte no single-byte token has) are always checked by llama.cpp. Built once per
/// model from the pieces llama.cpp matches (special tokens rendered as their text).
/// </summary>
internal sealed class TokenFirstBytes
{
    private const int MaxPiece = 256;

    private TokenFirstBytes(short[] firstByte, int[] byteTokens)
    {
        FirstByte = firstByte;
        ByteTokens = byteTokens;
    }

    /// <summary>Gets, per token, the first byte of its piece when the rule above applies to it, otherwise -1.</summary>
    public short[] FirstByte { get; }

    /// <summary>Gets, per byte value, a token whose piece is exactly that byte, or -1.</summary>
    public int[] ByteTokens { get; }

    public static TokenFirstBytes Build(SafeLlamaModelHandle model, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(model);
        var firstByte = new short[vocabularySize];
        var byteTokens = new int[256];
        Array.Fill(byteTokens, -1);
        Span<byte> piece = stackalloc byte[MaxPiece];
        var vocab = model.Vocab;
        for (var id = 0; id < vocabularySize; id++)
        {
            firstByte[id] = -1;
            var token = (LLamaToken)id;
            var length = (int)model.TokenToSpan(token, piece, 0, special: true);
            if (length is <= 0 or > MaxPiece || piece[0] == 0 || token.IsEndOfGeneration(vocab))
            {
                continue;
            }

            var bytes = piece[..length];
            if (length == 1 && byteTokens[bytes[0]] < 0)
            {
                byteTokens[bytes[0]] = id;
            }

            if (IsWellFormedPrefix(bytes))
            {
                firstByte[id] = bytes[0];
            }
        }

        // A first byte without a single-byte token cannot be checked cheaply: those tokens go to llama.cpp.
        for (var id = 0; id < vocabularySize; id++)
        {
            if (firstByte[id] >= 0 && byteTokens[firstByte[id]] < 0)
            {
                firstByte[id] = -1;
            }
        }

        return new TokenFirstBytes(firstByte, byteTokens);
    }

    /// <summary>UTF-8 starting at a character boundary, with no invalid sequence; only the last character may be incomplete.</summary>
    internal static bool IsWellFormedPrefix(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out _, out var consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                bytes = bytes[consumed..];
                continue;
            }

            return status == System.Buffers.OperationStatus.NeedMoreData && consumed == bytes.Length && bytes[0] >= 0xC2;
        }

        return true;
    }
}
