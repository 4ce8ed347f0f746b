using System.Text;

namespace Llama4.TinyModel.Tokenizer;

/// <summary>
/// GPT-2's reversible byte-to-unicode mapping: printable Latin-1 bytes map to themselves, the others to U+0100 and up,
/// so every byte sequence becomes a string without spaces or control characters (a space becomes 'Ġ').
/// </summary>
internal static class ByteLevel
{
    private static readonly char[] ByteToChar = BuildTable();

    /// <summary>The character standing for <paramref name="value"/>.</summary>
    public static char Encode(byte value) => ByteToChar[value];

    /// <summary>Encodes the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static string Encode(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var builder = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
        {
            builder.Append(ByteToChar[b]);
        }

        return builder.ToString();
    }

    private static char[] BuildTable()
    {
        var table = new char[256];
        var assigned = new bool[256];
        for (int b = '!'; b <= '~'; b++)
        {
            table[b] = (char)b;
            assigned[b] = true;
        }

        for (int b = 0xA1; b <= 0xAC; b++)
        {
            table[b] = (char)b;
            assigned[b] = true;
        }

        for (int b = 0xAE; b <= 0xFF; b++)
        {
            table[b] = (char)b;
            assigned[b] = true;
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
