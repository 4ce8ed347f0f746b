namespace Llama4.Core.ToolCalling;

/// <summary>
/// Decides whether text at a position is the start of a tool call. Every check answers
/// <see cref="ToolCallStartKind.Undecided"/> until the text settles it, and its answer never changes when more text
/// arrives: that makes the parser's output independent of how the stream is cut into pieces.
/// </summary>
internal static class ToolCallStartMatcher
{
    /// <summary>The opening of a function tag.</summary>
    public const string FunctionTagOpen = "<function=";

    /// <summary>The closing of a function tag.</summary>
    public const string FunctionTagClose = "</function>";

    private const int MaxNameLength = 256;

    /// <summary>
    /// Checks a line-initial <c>{</c>: a call starts when <c>"name"</c> is its first key (optionally after
    /// <c>"type": "function"</c>) and names an offered tool.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="start">Index of the <c>{</c>.</param>
    /// <param name="names">The offered tools.</param>
    /// <returns>The outcome.</returns>
    public static ToolCallStart CheckJsonObject(string text, int start, ToolNameTable names)
    {
        var k = start + 1;
        var byName = MatchTokens(text, ref k, "\"name\"", ":");
        if (byName == false)
        {
            k = start + 1;
            byName = MatchTokens(text, ref k, "\"type\"", ":", "\"function\"", ",", "\"name\"", ":");
        }

        if (byName != true)
        {
            return byName is null ? ToolCallStart.Undecided : ToolCallStart.None;
        }

        k = SkipWhitespace(text, k);
        if (k == text.Length)
        {
            return ToolCallStart.Undecided;
        }

        if (text[k] != '"')
        {
            return ToolCallStart.None;
        }

        var close = k + 1;
        while (close < text.Length && text[close] != '"')
        {
            if (text[close] < ' ' || close - k > MaxNameLength)
            {
                return ToolCallStart.None;
            }

            close += text[close] == '\\' ? 2 : 1;
        }

        if (close >= text.Length)
        {
            return ToolCallStart.Undecided;
        }

        if (!ToolCallJson.TryParse(text[k..(close + 1)], out var element) || element.GetString() is not { } name)
        {
            return ToolCallStart.None;
        }

        return names.TryResolve(name, out _)
            ? new ToolCallStart(ToolCallStartKind.JsonObject)
            : ToolCallStart.None with { Warning = NotOffered(name) };
    }

    /// <summary>
    /// Checks a line-initial <c>[</c>: a JSON list whose first object starts a call, or a pythonic list whose first
    /// element is <c>name(</c> with an offered name or alias.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="start">Index of the <c>[</c>.</param>
    /// <param name="names">The offered tools.</param>
    /// <returns>The outcome.</returns>
    public static ToolCallStart CheckList(string text, int start, ToolNameTable names)
    {
        var k = SkipWhitespace(text, start + 1);
        if (k == text.Length)
        {
            return ToolCallStart.Undecided;
        }

        if (text[k] == '{')
        {
            var inner = CheckJsonObject(text, k, names);
            return inner.Kind == ToolCallStartKind.JsonObject ? new ToolCallStart(ToolCallStartKind.JsonList) : inner;
        }

        if (names.TryMatchSpelling(text, k, '(', out _, out _, out var undecided))
        {
            return new ToolCallStart(ToolCallStartKind.PythonicList);
        }

        if (undecided)
        {
            return ToolCallStart.Undecided;
        }

        // Not an offered name: look for `[other_name(` only to say so in a warning.
        if (!(char.IsLetter(text[k]) || text[k] == '_' || char.IsSurrogate(text[k])))
        {
            return ToolCallStart.None;
        }

        var i = k;
        while (i < text.Length && i - k <= MaxNameLength && IsLooseNameChar(text, i))
        {
            i++;
        }

        var nameEnd = i;
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        if (i == text.Length && i - k <= MaxNameLength)
        {
            return ToolCallStart.Undecided;
        }

        return nameEnd > k && i < text.Length && text[i] == '('
            ? ToolCallStart.None with { Warning = NotOffered(text[k..nameEnd]) }
            : ToolCallStart.None;
    }

    /// <summary>Checks <c>&lt;function=name&gt;</c> for an offered name.</summary>
    /// <param name="text">The text.</param>
    /// <param name="start">Index of the <c>&lt;</c>.</param>
    /// <param name="names">The offered tools.</param>
    /// <returns>The outcome.</returns>
    public static ToolCallStart CheckFunctionTag(string text, int start, ToolNameTable names)
    {
        var available = Math.Min(FunctionTagOpen.Length, text.Length - start);
        if (string.CompareOrdinal(text, start, FunctionTagOpen, 0, available) != 0)
        {
            return ToolCallStart.None;
        }

        if (available < FunctionTagOpen.Length)
        {
            return ToolCallStart.Undecided;
        }

        var nameStart = start + FunctionTagOpen.Length;
        var close = text.IndexOf('>', nameStart);
        var newline = text.IndexOf('\n', nameStart);
        if ((newline >= 0 && (close < 0 || newline < close)) || (close < 0 ? text.Length : close) - nameStart > MaxNameLength)
        {
            return ToolCallStart.None;
        }

        if (close < 0)
        {
            return ToolCallStart.Undecided;
        }

        var name = text[nameStart..close];
        return names.TryResolve(name, out var realName)
            ? new ToolCallStart(ToolCallStartKind.FunctionTag, close + 1, realName)
            : ToolCallStart.None with { Warning = NotOffered(name) };
    }

    /// <summary>Skips any whitespace, line breaks included.</summary>
    /// <param name="text">The text.</param>
    /// <param name="index">Where to start.</param>
    /// <returns>The first index that is not whitespace (or the length).</returns>
    public static int SkipWhitespace(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }

        return index;
    }

    /// <summary>Returns whether the text from <paramref name="index"/> to its end is a proper prefix of
    /// <paramref name="marker"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="index">Where the candidate begins.</param>
    /// <param name="marker">The marker.</param>
    /// <returns><see langword="true"/> when more text could complete the marker.</returns>
    public static bool IsPartialAtEnd(string text, int index, string marker)
    {
        var available = text.Length - index;
        return available < marker.Length && string.CompareOrdinal(text, index, marker, 0, available) == 0;
    }

    private static bool IsLooseNameChar(string text, int i)
    {
        var c = text[i];
        return char.IsLetterOrDigit(c) || c is '_' or '-' or '.' || char.IsSurrogate(c);
    }

    private static string NotOffered(string name) =>
        $"Possible tool call to '{ToolCallJson.Excerpt(name)}' kept as text: no tool of that name was offered.";

    // true: all tokens matched; false: a token differs; null: the text ends first.
    private static bool? MatchTokens(string text, ref int index, params string[] tokens)
    {
        foreach (var token in tokens)
        {
            index = SkipWhitespace(text, index);
            var available = Math.Min(token.Length, text.Length - index);
            if (string.CompareOrdinal(text, index, token, 0, available) != 0)
            {
                return false;
            }

            if (available < token.Length)
            {
                return null;
            }

            index += token.Length;
        }

        return true;
    }
}
