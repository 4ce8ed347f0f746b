using System.Globalization;
using System.Text;

namespace Llama4.Core.Grammars;

/// <summary>Writes GBNF lexical items: string literals and character-class characters.</summary>
internal static class GbnfText
{
    /// <summary>Returns a GBNF string literal that matches exactly <paramref name="text"/>.</summary>
    /// <param name="text">The text to match.</param>
    /// <returns>The literal, quotes included.</returns>
    public static string Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 2);
        builder.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case < ' ' or '\x7F':
                    builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        builder.Append('"');
        return builder.ToString();
    }

    /// <summary>Writes one code point for use inside a character class (<c>[...]</c>).</summary>
    /// <param name="codePoint">The code point.</param>
    /// <returns>The character itself when it is a plain ASCII letter or digit, else an escape.</returns>
    public static string ClassChar(int codePoint) => codePoint switch
    {
        (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') => ((char)codePoint).ToString(),
        <= 0xFF => string.Create(CultureInfo.InvariantCulture, $"\\x{codePoint:X2}"),
        <= 0xFFFF => string.Create(CultureInfo.InvariantCulture, $"\\u{codePoint:X4}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"\\U{codePoint:X8}"),
    };

    /// <summary>Writes a character class from inclusive ranges.</summary>
    /// <param name="ranges">The ranges.</param>
    /// <returns>The class, brackets included.</returns>
    public static string Class(params (int Low, int High)[] ranges)
    {
        var builder = new StringBuilder("[");
        foreach (var (low, high) in ranges)
        {
            builder.Append(ClassChar(low));
            if (high != low)
            {
                builder.Append('-').Append(ClassChar(high));
            }
        }

        return builder.Append(']').ToString();
    }

    /// <summary>Writes a repetition suffix: <c>{n}</c>, <c>{m,n}</c>, or nothing for exactly one.</summary>
    /// <param name="item">The repeated item (a rule name, literal or class).</param>
    /// <param name="min">The minimum count.</param>
    /// <param name="max">The maximum count (at most <see cref="GbnfParser.MaxRepetitionThreshold"/> - 1).</param>
    /// <returns>The repeated item, or an empty string for zero repetitions.</returns>
    public static string Repeat(string item, int min, int max)
    {
        if (max == 0)
        {
            return string.Empty;
        }

        if (min == 1 && max == 1)
        {
            return item;
        }

        if (min == 0 && max == 1)
        {
            return item + "?";
        }

        return min == max
            ? string.Create(CultureInfo.InvariantCulture, $"{item}{{{min}}}")
            : string.Create(CultureInfo.InvariantCulture, $"{item}{{{min},{max}}}");
    }
}
