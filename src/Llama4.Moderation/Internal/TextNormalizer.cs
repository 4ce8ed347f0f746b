using System.Globalization;
using System.Text;

namespace Llama4.Moderation.Internal;

/// <summary>
/// The form rule matching sees: Unicode NFKC (full-width and compatibility letters folded), lower case, invisible
/// format characters removed (and counted), Unicode tag characters (used to smuggle hidden ASCII) turned into the ASCII
/// they encode, and runs of white space collapsed to one space (or one line break when they contain one).
/// </summary>
internal static class TextNormalizer
{
    public static NormalizedText Normalize(string text)
    {
        var folded = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(folded.Length);
        var invisible = 0;
        var tags = 0;
        var inFlag = false;
        var space = Space.None;
        foreach (var rune in folded.EnumerateRunes())
        {
            var value = rune.Value;
            if (value is >= 0xE0020 and <= 0xE007F)
            {
                // Subdivision flags (England, Scotland, Wales) are a black flag followed by tag letters: ordinary emoji.
                if (!inFlag)
                {
                    tags++;
                    if (value != 0xE007F)
                    {
                        Append(builder, new Rune(value - 0xE0000), ref space);
                    }
                }

                inFlag &= value != 0xE007F;
                continue;
            }

            inFlag = value == 0x1F3F4;
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
            {
                if (IsHidingCharacter(value))
                {
                    invisible++;
                }

                continue;
            }

            Append(builder, rune, ref space);
        }

        Flush(builder, ref space);
        return new NormalizedText(builder.ToString().Trim(), invisible, tags);
    }

    // Zero-width spaces and non-joiners, word joiners and invisible operators, byte-order marks inside text and
    // bidirectional overrides hide or reorder text. Joiners in emoji, direction marks and soft hyphens are ordinary.
    private static bool IsHidingCharacter(int value) =>
        value is 0x200B or 0x200C or (>= 0x2060 and <= 0x2064) or 0xFEFF or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) or 0x180E;

    private static void Append(StringBuilder builder, Rune rune, ref Space space)
    {
        if (Rune.IsWhiteSpace(rune))
        {
            space = rune.Value is '\n' or '\r' or 0x2028 or 0x2029 ? Space.Line : (space == Space.Line ? Space.Line : Space.Blank);
            return;
        }

        Flush(builder, ref space);
        builder.Append(Rune.ToLowerInvariant(rune).ToString());
    }

    private static void Flush(StringBuilder builder, ref Space space)
    {
        if (space != Space.None && builder.Length > 0)
        {
            builder.Append(space == Space.Line ? '\n' : ' ');
        }

        space = Space.None;
    }

    private enum Space
    {
        None,
        Blank,
        Line,
    }
}
