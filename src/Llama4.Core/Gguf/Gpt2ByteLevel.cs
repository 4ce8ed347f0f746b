using System.Text;

namespace Llama4.Core.Gguf;

/// <summary>
/// GPT-2's reversible byte-to-character mapping, in which byte-level BPE vocabularies (Llama 4's included) store their
/// tokens: printable Latin-1 bytes stand for themselves, the other bytes for U+0100 and up. <see cref="DecodePiece"/>
/// turns a stored token text back into the bytes llama.cpp gives a grammar for it, exactly as llama.cpp's
/// <c>llama_decode_text</c> does, including its replacement text for characters outside the mapping.
/// </summary>
internal static class Gpt2ByteLevel
{
    private static readonly char[] ByteToChar = BuildTable();
    private static readonly Dictionary<int, byte> CharToByte = ByteToChar.Select((c, b) => (c, b)).ToDictionary(p => (int)p.c, p => (byte)p.b);

    /// <summary>The character that stands for <paramref name="value"/>.</summary>
    public static char Encode(byte value) => ByteToChar[value];

    /// <summary>Encodes bytes as the token text a byte-level vocabulary stores for them.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
        {
            builder.Append(ByteToChar[b]);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The bytes llama.cpp's <c>llama_decode_text</c> makes of a normal token's stored text: each code point of the
    /// text (an invalid UTF-8 byte counts as U+FFFD and is skipped alone) maps back to its byte; a code point outside
    /// the mapping becomes the text <c>[UNK_BYTE_0x..</c>, its UTF-8 in hex, the whole token text, and <c>]</c>.
    /// </summary>
    /// <param name="text">The token's bytes as stored in the file.</param>
    /// <returns>The piece's bytes.</returns>
    public static byte[] DecodePiece(ReadOnlySpan<byte> text)
    {
        var piece = new List<byte>(text.Length);
        int offset = 0;
        while (offset < text.Length)
        {
            int codePoint = NextCodePoint(text, ref offset);
            if (CharToByte.TryGetValue(codePoint, out byte b))
            {
                piece.Add(b);
                continue;
            }

            piece.AddRange("[UNK_BYTE_0x"u8.ToArray());
            foreach (byte u in Utf8Of(codePoint))
            {
                piece.AddRange(Encoding.ASCII.GetBytes(u.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
            }

            piece.AddRange(text.ToArray());
            piece.Add((byte)']');
        }

        return [.. piece];
    }

    /// <summary>
    /// One code point as llama.cpp's <c>unicode_cpt_from_utf8</c> reads it: the lead byte decides the length, every
    /// following byte must be a continuation byte, overlong forms are not rejected; a failure consumes one byte and
    /// yields U+FFFD (the fallback of <c>unicode_cpts_from_utf8</c>).
    /// </summary>
    private static int NextCodePoint(ReadOnlySpan<byte> text, ref int offset)
    {
        byte lead = text[offset];
        int length = lead switch
        {
            < 0x80 => 1,
            < 0xC0 => 0,
            < 0xE0 => 2,
            < 0xF0 => 3,
            < 0xF8 => 4,
            _ => 0,
        };
        if (length == 0 || offset + length > text.Length)
        {
            offset++;
            return 0xFFFD;
        }

        int value = length switch
        {
            1 => lead,
            2 => lead & 0x1F,
            3 => lead & 0x0F,
            _ => lead & 0x07,
        };
        for (int i = 1; i < length; i++)
        {
            byte next = text[offset + i];
            if ((next & 0xC0) != 0x80)
            {
                offset++;
                return 0xFFFD;
            }

            value = (value << 6) | (next & 0x3F);
        }

        offset += length;
        return value;
    }

    /// <summary>llama.cpp's <c>unicode_cpt_to_utf8</c> (no validation of the code point).</summary>
    private static byte[] Utf8Of(int codePoint) => codePoint switch
    {
        <= 0x7F => [(byte)codePoint],
        <= 0x7FF => [(byte)(0xC0 | (codePoint >> 6)), (byte)(0x80 | (codePoint & 0x3F))],
        <= 0xFFFF => [(byte)(0xE0 | (codePoint >> 12)), (byte)(0x80 | ((codePoint >> 6) & 0x3F)), (byte)(0x80 | (codePoint & 0x3F))],
        _ => [(byte)(0xF0 | (codePoint >> 18)), (byte)(0x80 | ((codePoint >> 12) & 0x3F)), (byte)(0x80 | ((codePoint >> 6) & 0x3F)), (byte)(0x80 | (codePoint & 0x3F))],
    };

    private static char[] BuildTable()
    {
        var table = new char[256];
        var assigned = new bool[256];
        foreach ((int from, int to) in new[] { ('!', '~'), (0xA1, 0xAC), (0xAE, 0xFF) })
        {
            for (int b = from; b <= to; b++)
            {
                table[b] = (char)b;
                assigned[b] = true;
            }
        }

        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            if (!assigned[b])
            {
                table[b] = (char)(256 + next);
                next++;
            }
        }

        return table;
    }
}
