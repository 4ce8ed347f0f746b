using System.Globalization;
using System.Text;

namespace Llama4.Moderation.Internal.Pii;

/// <summary>
/// The form the PII patterns read: every decimal digit of any script (full-width <c>４</c>, Arabic-Indic <c>٤</c>...)
/// as its ASCII digit, every other character in its Unicode compatibility form (NFKC, per character: full-width
/// <c>＠</c> and letters, no-break and ideographic spaces), invisible format characters (zero-width spaces, joiners,
/// soft hyphens) removed; with a map from each folded character back to the original text, so matches found here
/// redact the original span. Pure ASCII text is used as it is.
/// </summary>
internal sealed class FoldedText
{
    // For folded character k: the original index of the character it came from, and the end of that character.
    private readonly int[]? _starts;
    private readonly int[]? _ends;

    private FoldedText(string text, int[]? starts, int[]? ends)
    {
        Text = text;
        _starts = starts;
        _ends = ends;
    }

    /// <summary>Gets the folded text.</summary>
    public string Text { get; }

    /// <summary>Folds a text.</summary>
    public static FoldedText Create(string text)
    {
        if (Ascii.IsValid(text) || IsAlreadyFolded(text))
        {
            return new FoldedText(text, null, null);
        }

        var builder = new StringBuilder(text.Length);
        var starts = new List<int>(text.Length);
        var ends = new List<int>(text.Length);
        var index = 0;
        while (index < text.Length)
        {
            // A lone surrogate decodes as U+FFFD and is kept as such (one character).
            Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed);
            var end = index + consumed;
            var category = Rune.GetUnicodeCategory(rune);
            if (category == UnicodeCategory.Format)
            {
                index = end;
                continue;
            }

            var before = builder.Length;
            if (category == UnicodeCategory.DecimalDigitNumber)
            {
                builder.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
            }
            else if (rune.IsAscii)
            {
                builder.Append((char)rune.Value);
            }
            else
            {
                var single = rune.ToString();
                builder.Append(single.IsNormalized(NormalizationForm.FormKC) ? single : single.Normalize(NormalizationForm.FormKC));
            }

            for (var k = before; k < builder.Length; k++)
            {
                starts.Add(index);
                ends.Add(end);
            }

            index = end;
        }

        return new FoldedText(builder.ToString(), [.. starts], [.. ends]);
    }

    // Text with accents, emoji or curly quotes but nothing to fold (checked first: folding allocates two maps).
    private static bool IsAlreadyFolded(string text)
    {
        foreach (var c in text)
        {
            if (c > 0x7F && (char.IsDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format))
            {
                return false;
            }
        }

        return text.IsNormalized(NormalizationForm.FormKC);
    }

    /// <summary>Maps a match in the folded text to the span of the original text it came from.</summary>
    public PiiMatch ToOriginal(PiiMatch match)
    {
        if (_starts is null || _ends is null)
        {
            return match;
        }

        var start = _starts[match.Start];
        return match with { Start = start, Length = _ends[match.End - 1] - start };
    }
}
