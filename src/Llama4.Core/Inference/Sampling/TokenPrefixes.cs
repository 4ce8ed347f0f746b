using System.Text;
using LLama.Native;

namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// Lets a grammar check skip most of the vocabulary without calling llama.cpp. llama.cpp's grammar sampler reads a
/// token as the UTF-8 code points of its piece, and what it rejects is closed under extension: when it rejects a piece
/// that is well-formed UTF-8 (an incomplete last character allowed), it rejects every longer well-formed piece that
/// starts with it, whatever state it is in, because the code points (or the partial one) such a piece starts with are
/// ones the grammar has no room for. So a token can be judged by its first byte (through the single-byte token) and by
/// its longest proper prefix that is itself a token: if either is rejected, so is the token. Tokens this cannot vouch
/// for (end-of-generation tokens, empty pieces, and pieces with invalid UTF-8, which llama.cpp treats specially) are
/// always checked by llama.cpp. Built once per model from the pieces llama.cpp matches (special tokens rendered as
/// their text).
/// </summary>
internal sealed class TokenPrefixes
{
    private const int MaxPiece = 255;

    private TokenPrefixes(short[] firstByte, int[] prefix, byte[] length, int[] byteTokens)
    {
        FirstByte = firstByte;
        Prefix = prefix;
        Length = length;
        ByteTokens = byteTokens;
    }

    /// <summary>Gets, per token, the first byte of its piece when the rule applies to it (a well-formed piece of a token that does not end generation, whose first byte has a single-byte token), otherwise -1.</summary>
    public short[] FirstByte { get; }

    /// <summary>Gets, per token, the token whose piece is the longest proper prefix of its piece and to which the rule applies too, or -1.</summary>
    public int[] Prefix { get; }

    /// <summary>Gets, per token, the length of its piece in bytes (at most 255).</summary>
    public byte[] Length { get; }

    /// <summary>Gets, per byte value, a token whose piece is exactly that byte, or -1.</summary>
    public int[] ByteTokens { get; }

    public static TokenPrefixes Build(SafeLlamaModelHandle model, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(model);
        var firstByte = new short[vocabularySize];
        var prefix = new int[vocabularySize];
        var length = new byte[vocabularySize];
        var byteTokens = new int[256];
        Array.Fill(byteTokens, -1);
        Array.Fill(prefix, -1);
        var pieces = new string?[vocabularySize];
        Span<byte> piece = stackalloc byte[MaxPiece + 1];
        var vocab = model.Vocab;
        for (var id = 0; id < vocabularySize; id++)
        {
            firstByte[id] = -1;
            var token = (LLamaToken)id;
            var written = (int)model.TokenToSpan(token, piece, 0, special: true);
            length[id] = (byte)Math.Clamp(written, 0, MaxPiece);
            if (written is <= 0 or > MaxPiece || piece[0] == 0 || token.IsEndOfGeneration(vocab))
            {
                continue;
            }

            var bytes = piece[..written];
            if (written == 1 && byteTokens[bytes[0]] < 0)
            {
                byteTokens[bytes[0]] = id;
            }

            if (IsWellFormedPrefix(bytes))
            {
                firstByte[id] = bytes[0];

                // Latin-1 maps every byte to one char: a piece's prefixes are the string's prefixes.
                pieces[id] = Encoding.Latin1.GetString(bytes);
            }
        }

        // A first byte without a single-byte token cannot be checked cheaply: those tokens go to llama.cpp.
        var byPiece = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < vocabularySize; id++)
        {
            if (firstByte[id] >= 0 && byteTokens[firstByte[id]] < 0)
            {
                firstByte[id] = -1;
                pieces[id] = null;
            }

            if (pieces[id] is { } text)
            {
                byPiece.TryAdd(text, id);
            }
        }

        var lookup = byPiece.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var id = 0; id < vocabularySize; id++)
        {
            if (pieces[id] is not { Length: > 1 } text)
            {
                continue;
            }

            for (var end = text.Length - 1; end >= 1; end--)
            {
                if (lookup.TryGetValue(text.AsSpan(0, end), out var shorter))
                {
                    prefix[id] = shorter;
                    break;
                }
            }
        }

        return new TokenPrefixes(firstByte, prefix, length, byteTokens);
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

            return status == System.Buffers.OperationStatus.NeedMoreData && consumed == bytes.Length;
        }

        return true;
    }
}
