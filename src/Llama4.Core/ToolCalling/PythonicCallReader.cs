using System.Text;
using System.Text.Json;

namespace Llama4.Core.ToolCalling;

/// <summary>
/// Reads Meta's pythonic tool calls, <c>[get_weather(city="SF"), f(x=1)]</c>, and (inside
/// <c>&lt;|python_start|&gt;</c>) a bare <c>get_weather(city="SF")</c>. Only keyword arguments can be mapped to
/// parameters; a call with positional arguments is refused.
/// </summary>
internal static class PythonicCallReader
{
    /// <summary>Reads a list of calls.</summary>
    /// <param name="text">The text.</param>
    /// <param name="start">Index of the <c>[</c>.</param>
    /// <param name="end">Index after the matching <c>]</c>.</param>
    /// <param name="names">The offered tools.</param>
    /// <param name="segments">Receives the calls, and the text of refused elements, in order.</param>
    /// <param name="warnings">Receives why elements were refused.</param>
    /// <returns><see langword="false"/> when nothing in the list is a valid call: the caller keeps it all as text.</returns>
    public static bool TryReadList(
        string text,
        int start,
        int end,
        ToolNameTable names,
        List<ToolCallSegment> segments,
        List<string> warnings)
    {
        var reader = new PythonLiteralReader(text, start + 1, end);
        var elements = new List<ToolCallSegment>();
        var anyCall = false;
        while (true)
        {
            reader.SkipWhitespace();
            if (reader.Peek == ']')
            {
                reader.Position++;
                break;
            }

            if (!TryReadCall(reader, text, end, names, out var segment, out var warning))
            {
                warnings.Add(Refusal(text, start, end, warning));
                return false;
            }

            if (segment.Call is not null)
            {
                anyCall = true;
            }
            else
            {
                warnings.Add(warning);
            }

            elements.Add(segment);
            reader.SkipWhitespace();
            if (reader.Peek == ',')
            {
                reader.Position++;
            }
            else if (reader.Peek != ']')
            {
                warnings.Add(Refusal(text, start, end, "expected ',' or ']' after a call"));
                return false;
            }
        }

        if (!reader.AtEnd)
        {
            warnings.Add(Refusal(text, start, end, "unexpected text after the list"));
            return false;
        }

        if (anyCall)
        {
            segments.AddRange(elements);
        }

        return anyCall;
    }

    /// <summary>Reads one bare call <c>name(...)</c> filling the whole range.</summary>
    /// <param name="text">The text.</param>
    /// <param name="start">Index of the name.</param>
    /// <param name="end">Index after the matching <c>)</c>.</param>
    /// <param name="names">The offered tools.</param>
    /// <param name="segments">Receives the call.</param>
    /// <param name="warnings">Receives why it was refused.</param>
    /// <returns><see langword="false"/> when it is not a valid call.</returns>
    public static bool TryReadBareCall(
        string text,
        int start,
        int end,
        ToolNameTable names,
        List<ToolCallSegment> segments,
        List<string> warnings)
    {
        var reader = new PythonLiteralReader(text, start, end);
        if (!TryReadCall(reader, text, end, names, out var segment, out var warning) || segment.Call is null)
        {
            warnings.Add(segment.Text is null ? Refusal(text, start, end, warning) : warning);
            return false;
        }

        reader.SkipWhitespace();
        if (!reader.AtEnd)
        {
            warnings.Add(Refusal(text, start, end, "unexpected text after the call"));
            return false;
        }

        segments.Add(segment);
        return true;
    }

    /// <summary>
    /// Reads a call name at <paramref name="start"/>: an offered name or alias (any characters), else a loose name
    /// (identifier characters, <c>-</c>, <c>.</c>), followed by optional spaces and <c>(</c>.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="start">Where the name begins.</param>
    /// <param name="names">The offered tools.</param>
    /// <param name="spelling">The name as written.</param>
    /// <param name="parenIndex">Index of the <c>(</c>.</param>
    /// <returns><see langword="true"/> when a name followed by <c>(</c> is there.</returns>
    public static bool TryReadCallName(string text, int start, ToolNameTable names, out string spelling, out int parenIndex)
    {
        if (names.TryMatchSpelling(text, start, '(', out spelling, out parenIndex, out _))
        {
            return true;
        }

        var i = start;
        while (i < text.Length)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length) != System.Buffers.OperationStatus.Done
                || !(ToolNameAliases.IsIdentifierPart(rune) || rune.Value is '-' or '.'))
            {
                break;
            }

            i += length;
        }

        spelling = text[start..i];
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        parenIndex = i;
        return spelling.Length > 0 && i < text.Length && text[i] == '(';
    }

    // Returns false for a syntax error (the whole list fails); true with a text segment for a well-formed call that
    // cannot be used (unknown tool, positional arguments).
    private static bool TryReadCall(
        PythonLiteralReader reader,
        string text,
        int end,
        ToolNameTable names,
        out ToolCallSegment segment,
        out string warning)
    {
        segment = default;
        warning = string.Empty;
        var callStart = reader.Position;
        if (!TryReadCallName(text, callStart, names, out var spelling, out var paren) || paren >= end)
        {
            warning = "expected a call 'name(...)'";
            return false;
        }

        reader.Position = paren + 1;
        var arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var positional = false;
        while (true)
        {
            reader.SkipWhitespace();
            if (reader.Peek == ')')
            {
                reader.Position++;
                break;
            }

            var save = reader.Position;
            if (reader.TryReadIdentifier(out var parameter))
            {
                reader.SkipWhitespace();
                if (reader.Peek == '=' && !(reader.Position + 1 < end && text[reader.Position + 1] == '='))
                {
                    reader.Position++;
                }
                else
                {
                    reader.Position = save;
                    parameter = string.Empty;
                }
            }

            if (!reader.TryReadElement(out var value))
            {
                warning = $"argument {(parameter.Length > 0 ? $"'{parameter}'" : "value")}: {reader.Error}";
                return false;
            }

            if (parameter.Length == 0)
            {
                positional = true;
            }
            else
            {
                arguments[parameter] = value;
            }

            reader.SkipWhitespace();
            if (reader.Peek == ',')
            {
                reader.Position++;
            }
            else if (reader.Peek != ')')
            {
                warning = "expected ',' or ')' in the argument list";
                return false;
            }
        }

        var raw = text[callStart..reader.Position];
        if (!names.TryResolve(spelling, out var realName))
        {
            segment = ToolCallSegment.ForText(raw);
            warning = $"Tool call to '{spelling}' kept as text: no tool of that name was offered.";
            return true;
        }

        if (positional)
        {
            segment = ToolCallSegment.ForText(raw);
            warning = $"Tool call to '{realName}' kept as text: it has positional arguments, which cannot be mapped to parameter names.";
            return true;
        }

        segment = ToolCallSegment.ForCall(new ParsedToolCall(realName, arguments, ToolCallSyntax.Pythonic));
        return true;
    }

    private static string Refusal(string text, int start, int end, string reason) =>
        $"Pythonic tool call kept as text ({reason}): {ToolCallJson.Excerpt(text[start..end])}";
}
