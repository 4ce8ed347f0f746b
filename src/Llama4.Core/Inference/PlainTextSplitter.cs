using System.Globalization;

namespace Llama4.Core.Inference;

/// <summary>
/// Cuts plain text into pieces that llama.cpp can tokenize one by one with the same token ids as the whole text, and
/// bounds how long a pre-tokenizer word can get.
/// </summary>
/// <remarks>
/// <para>
/// llama.cpp runs the <c>llama4</c> pre-tokenizer regex through <c>std::regex</c>, which recurses once per character of
/// a match: one word of about 24,000 spaces or 25,000 letters overflows the native stack (the process aborts, or
/// deadlocks when the overflow lands inside malloc). No match of that regex can contain the two characters either side
/// of a <em>safe boundary</em>, and the match that ends there does not depend on what follows, so tokenizing the text
/// on either side separately gives exactly the tokens of the whole. The safe boundaries (neither side a combining mark,
/// an apostrophe, a surrogate, a control character other than tab and line breaks, non-ASCII white space, or an
/// unassigned or format character; white space here is a space or a tab):
/// a letter followed by a digit, white space or punctuation; a digit followed by a letter, white space or punctuation;
/// punctuation followed by a digit or by white space other than a line break; a line break followed by a letter, a digit
/// or punctuation other than <c>/</c>.
/// </para>
/// <para>
/// Text whose safe boundaries are never more than <see cref="MaxRun"/> characters apart is cut only at safe
/// boundaries (into pieces of about <see cref="PieceCharacters"/> characters, so long texts can be stopped and
/// cancelled between pieces). A longer stretch without one (a pathological "word" such as 25,000 letters or 60,000
/// <c>!</c>) is also cut every <see cref="MaxRun"/> characters: its tokens are then a valid but not the canonical
/// encoding of that stretch, and it can no longer reach llama.cpp as one word.
/// </para>
/// </remarks>
internal static class PlainTextSplitter
{
    /// <summary>The longest stretch of text without a safe boundary that reaches llama.cpp in one piece.</summary>
    public const int MaxRun = 512;

    /// <summary>The size, in characters, that pieces of long texts aim for.</summary>
    public const int PieceCharacters = 16 * 1024;

    private enum CharClass
    {
        Other,
        Letter,
        Digit,
        Space,
        LineBreak,
        Punctuation,
        Slash,
    }

    /// <summary>Cuts <paramref name="text"/> into consecutive pieces (start, length) that cover it exactly.</summary>
    /// <param name="text">The text.</param>
    /// <param name="pieceCharacters">The size pieces aim for.</param>
    /// <param name="maxRun">The longest stretch without a safe boundary that stays in one piece.</param>
    /// <returns>The pieces, in order; one piece for a short text.</returns>
    public static List<(int Start, int Length)> Split(string text, int pieceCharacters = PieceCharacters, int maxRun = MaxRun)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pieceCharacters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRun, 2);
        var pieces = new List<(int Start, int Length)>();
        var pieceStart = 0;
        var lastBoundary = 0;
        var previous = text.Length > 0 ? Classify(text, 0) : CharClass.Other;
        for (var i = 1; i < text.Length; i++)
        {
            var current = Classify(text, i);
            if (IsSafe(previous, current))
            {
                lastBoundary = i;
            }

            previous = current;
            if (i - lastBoundary >= maxRun && !char.IsLowSurrogate(text[i]))
            {
                // A stretch no safe boundary interrupts: cut it before it reaches llama.cpp as one word.
                pieces.Add((pieceStart, i - pieceStart));
                pieceStart = i;
                lastBoundary = i;
            }
            else if (i - pieceStart >= pieceCharacters && lastBoundary > pieceStart)
            {
                pieces.Add((pieceStart, lastBoundary - pieceStart));
                pieceStart = lastBoundary;
            }
        }

        pieces.Add((pieceStart, text.Length - pieceStart));
        return pieces;
    }

    private static bool IsSafe(CharClass before, CharClass after) => before switch
    {
        CharClass.Letter => after is CharClass.Digit or CharClass.Space or CharClass.LineBreak or CharClass.Punctuation or CharClass.Slash,
        CharClass.Digit => after is CharClass.Letter or CharClass.Space or CharClass.LineBreak or CharClass.Punctuation or CharClass.Slash,
        CharClass.Punctuation or CharClass.Slash => after is CharClass.Digit or CharClass.Space,
        CharClass.LineBreak => after is CharClass.Letter or CharClass.Digit or CharClass.Punctuation,
        _ => false,
    };

    private static CharClass Classify(string text, int index)
    {
        var c = text[index];
        if (c < 0x80)
        {
            return c switch
            {
                '\r' or '\n' => CharClass.LineBreak,
                ' ' or '\t' => CharClass.Space,
                '\'' => CharClass.Other,
                '/' => CharClass.Slash,
                >= '0' and <= '9' => CharClass.Digit,
                >= 'a' and <= 'z' or >= 'A' and <= 'Z' => CharClass.Letter,
                > ' ' and < '\x7F' => CharClass.Punctuation,

                // Other control characters: whether std::regex counts them as white space depends on the C library.
                _ => CharClass.Other,
            };
        }

        if (char.IsSurrogate(c) || char.IsWhiteSpace(c))
        {
            return CharClass.Other;
        }

        return CharUnicodeInfo.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Digit,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
                or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => CharClass.Punctuation,
            _ => CharClass.Other,
        };
    }
}
