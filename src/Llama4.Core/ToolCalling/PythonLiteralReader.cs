using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Llama4.Core.ToolCalling;

/// <summary>
/// Reads Python literals (strings in any quote style with escapes, numbers, <c>True</c>/<c>False</c>/<c>None</c>,
/// lists, tuples, dicts) and writes them as JSON. JSON's <c>true</c>/<c>false</c>/<c>null</c> are accepted too, as
/// models mix the two. Anything else (names, calls, expressions) is refused.
/// </summary>
internal sealed class PythonLiteralReader
{
    private const int MaxDepth = 64;
    private readonly string _text;
    private readonly int _end;

    public PythonLiteralReader(string text, int start, int end)
    {
        _text = text;
        Position = start;
        _end = end;
    }

    /// <summary>Gets or sets the read position.</summary>
    public int Position { get; set; }

    /// <summary>Gets the reason of the last refusal.</summary>
    public string Error { get; private set; } = string.Empty;

    /// <summary>Gets the character at the read position, or <c>'\0'</c> at the end.</summary>
    public char Peek => Position < _end ? _text[Position] : '\0';

    /// <summary>Gets a value indicating whether the whole range was read.</summary>
    public bool AtEnd => Position >= _end;

    /// <summary>Skips whitespace, newlines and backslash line continuations.</summary>
    public void SkipWhitespace()
    {
        while (Position < _end)
        {
            var c = _text[Position];
            if (char.IsWhiteSpace(c))
            {
                Position++;
            }
            else if (c == '\\' && Position + 1 < _end && _text[Position + 1] == '\n')
            {
                Position += 2;
            }
            else
            {
                break;
            }
        }
    }

    /// <summary>Reads a Python identifier at the read position.</summary>
    /// <param name="identifier">The identifier.</param>
    /// <returns><see langword="false"/> (position unchanged) when none starts here.</returns>
    public bool TryReadIdentifier(out string identifier)
    {
        var start = Position;
        var i = Position;
        while (i < _end)
        {
            if (Rune.DecodeFromUtf16(_text.AsSpan(i, _end - i), out var rune, out var length)
                != System.Buffers.OperationStatus.Done)
            {
                break;
            }

            if (!(i == start ? ToolNameAliases.IsIdentifierStart(rune) : ToolNameAliases.IsIdentifierPart(rune)))
            {
                break;
            }

            i += length;
        }

        identifier = _text[start..i];
        Position = i;
        return i > start;
    }

    /// <summary>Reads one literal as a detached JSON element.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> with <see cref="Error"/> set when the text is not a literal.</returns>
    public bool TryReadElement(out JsonElement value)
    {
        value = default;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                if (!TryReadValue(writer))
                {
                    return false;
                }
            }

            using var document = JsonDocument.Parse(buffer.WrittenMemory, ToolCallJson.DocumentOptions);
            value = document.RootElement.Clone();
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or JsonException)
        {
            // Lone surrogates from escapes, numbers JSON cannot hold, and the like.
            return Fail("a value that cannot be represented in JSON");
        }
    }

    /// <summary>Reads one literal and writes it as JSON.</summary>
    /// <param name="writer">The destination.</param>
    /// <returns><see langword="false"/> with <see cref="Error"/> set when the text is not a literal.</returns>
    public bool TryReadValue(Utf8JsonWriter writer) => TryReadValue(writer, 0);

    private bool TryReadValue(Utf8JsonWriter writer, int depth)
    {
        if (depth > MaxDepth)
        {
            return Fail("nesting too deep");
        }

        SkipWhitespace();
        var c = Peek;
        switch (c)
        {
            case '"' or '\'':
                if (!TryReadString(out var value))
                {
                    return false;
                }

                writer.WriteStringValue(value);
                return true;
            case '[':
                return TryReadSequence(writer, ']', depth);
            case '(':
                return TryReadSequence(writer, ')', depth);
            case '{':
                return TryReadDict(writer, depth);
            case '-' or '+' or '.' or (>= '0' and <= '9'):
                return TryReadNumber(writer);
            default:
                return TryReadKeyword(writer);
        }
    }

    private bool TryReadKeyword(Utf8JsonWriter writer)
    {
        var start = Position;
        if (!TryReadIdentifier(out var word))
        {
            return Fail(AtEnd ? "a value is missing" : $"unexpected '{_text[start]}'");
        }

        switch (word)
        {
            case "True" or "true":
                writer.WriteBooleanValue(true);
                return true;
            case "False" or "false":
                writer.WriteBooleanValue(false);
                return true;
            case "None" or "null":
                writer.WriteNullValue();
                return true;
            default:
                Position = start;
                return Fail($"'{word}' is a name, not a literal (variables and expressions are not allowed)");
        }
    }

    private bool TryReadSequence(Utf8JsonWriter writer, char close, int depth)
    {
        Position++;
        writer.WriteStartArray();
        while (true)
        {
            SkipWhitespace();
            if (Peek == close)
            {
                Position++;
                writer.WriteEndArray();
                return true;
            }

            if (!TryReadValue(writer, depth + 1))
            {
                return false;
            }

            SkipWhitespace();
            if (Peek == ',')
            {
                Position++;
            }
            else if (Peek != close)
            {
                return Fail($"expected ',' or '{close}'");
            }
        }
    }

    private bool TryReadDict(Utf8JsonWriter writer, int depth)
    {
        Position++;
        writer.WriteStartObject();
        while (true)
        {
            SkipWhitespace();
            if (Peek == '}')
            {
                Position++;
                writer.WriteEndObject();
                return true;
            }

            if (!TryReadKey(out var key))
            {
                return false;
            }

            SkipWhitespace();
            if (Peek != ':')
            {
                return Fail("expected ':' in a dict");
            }

            Position++;
            writer.WritePropertyName(key);
            if (!TryReadValue(writer, depth + 1))
            {
                return false;
            }

            SkipWhitespace();
            if (Peek == ',')
            {
                Position++;
            }
            else if (Peek != '}')
            {
                return Fail("expected ',' or '}' in a dict");
            }
        }
    }

    // JSON object keys are strings: a number or constant key keeps its Python spelling.
    private bool TryReadKey(out string key)
    {
        key = string.Empty;
        var c = Peek;
        if (c is '"' or '\'')
        {
            return TryReadString(out key);
        }

        var start = Position;
        var probe = new Utf8JsonWriter(Stream.Null);
        using (probe)
        {
            if (c is '-' or '+' or '.' or (>= '0' and <= '9') ? TryReadNumber(probe) : TryReadKeyword(probe))
            {
                key = _text[start..Position].Trim();
                return true;
            }
        }

        return false;
    }

    private bool TryReadString(out string value)
    {
        var builder = new StringBuilder();
        value = string.Empty;

        // Adjacent literals concatenate, as in Python: "a" 'b' == "ab".
        do
        {
            if (!TryReadOneString(builder))
            {
                return false;
            }

            var save = Position;
            SkipWhitespace();
            if (Peek is not ('"' or '\''))
            {
                Position = save;
                break;
            }
        }
        while (true);

        value = builder.ToString();
        return true;
    }

    private bool TryReadOneString(StringBuilder builder)
    {
        var quote = _text[Position];
        var triple = Position + 2 < _end && _text[Position + 1] == quote && _text[Position + 2] == quote;
        Position += triple ? 3 : 1;
        while (Position < _end)
        {
            var c = _text[Position];
            if (c == quote)
            {
                if (!triple)
                {
                    Position++;
                    return true;
                }

                if (Position + 2 < _end && _text[Position + 1] == quote && _text[Position + 2] == quote)
                {
                    Position += 3;
                    return true;
                }

                builder.Append(c);
                Position++;
                continue;
            }

            if (c == '\n' && !triple)
            {
                return Fail("a line break inside a string");
            }

            if (c != '\\')
            {
                builder.Append(c);
                Position++;
                continue;
            }

            if (!TryReadEscape(builder))
            {
                return false;
            }
        }

        return Fail("an unterminated string");
    }

    private bool TryReadEscape(StringBuilder builder)
    {
        if (Position + 1 >= _end)
        {
            return Fail("an unterminated string");
        }

        var e = _text[Position + 1];
        Position += 2;
        switch (e)
        {
            case '\n':
                return true;
            case 'n':
                builder.Append('\n');
                return true;
            case 't':
                builder.Append('\t');
                return true;
            case 'r':
                builder.Append('\r');
                return true;
            case 'b':
                builder.Append('\b');
                return true;
            case 'f':
                builder.Append('\f');
                return true;
            case 'v':
                builder.Append('\v');
                return true;
            case 'a':
                builder.Append('\a');
                return true;
            case '\\' or '\'' or '"':
                builder.Append(e);
                return true;
            case 'x':
                return TryReadHexEscape(builder, 2);
            case 'u':
                return TryReadHexEscape(builder, 4);
            case 'U':
                return TryReadHexEscape(builder, 8);
            case >= '0' and <= '7':
                var value = e - '0';
                for (var n = 0; n < 2 && Position < _end && _text[Position] is >= '0' and <= '7'; n++)
                {
                    value = (value * 8) + (_text[Position] - '0');
                    Position++;
                }

                builder.Append((char)value);
                return true;
            default:
                // Python keeps unknown escapes as written.
                builder.Append('\\').Append(e);
                return true;
        }
    }

    private bool TryReadHexEscape(StringBuilder builder, int digits)
    {
        if (Position + digits > _end
            || !int.TryParse(_text.AsSpan(Position, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            || code > 0x10FFFF)
        {
            return Fail("a malformed \\x, \\u or \\U escape");
        }

        Position += digits;
        if (code <= 0xFFFF)
        {
            builder.Append((char)code);
        }
        else
        {
            builder.Append(char.ConvertFromUtf32(code));
        }

        return true;
    }

    private bool TryReadNumber(Utf8JsonWriter writer)
    {
        var start = Position;
        var negative = false;
        if (Peek is '-' or '+')
        {
            negative = Peek == '-';
            Position++;
        }

        if (Peek == '0' && Position + 1 < _end && _text[Position + 1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            return TryReadPrefixedInteger(writer, negative, start);
        }

        var integer = ReadDigits();
        var hasPoint = false;
        var fraction = string.Empty;
        if (Peek == '.')
        {
            hasPoint = true;
            Position++;
            fraction = ReadDigits();
        }

        if (integer.Length == 0 && fraction.Length == 0)
        {
            Position = start;
            return Fail("a malformed number");
        }

        var exponent = string.Empty;
        if (Peek is 'e' or 'E')
        {
            Position++;
            var sign = Peek is '-' or '+' ? _text[Position++].ToString() : string.Empty;
            var digits = ReadDigits();
            if (digits.Length == 0)
            {
                return Fail("a malformed number");
            }

            exponent = "e" + sign + digits;
        }

        if (Position < _end && (char.IsLetterOrDigit(_text[Position]) || _text[Position] == '_'))
        {
            return Fail("a malformed number");
        }

        integer = integer.TrimStart('0');
        var json = new StringBuilder();
        json.Append(negative ? "-" : string.Empty).Append(integer.Length == 0 ? "0" : integer);
        if (hasPoint)
        {
            json.Append('.').Append(fraction.Length == 0 ? "0" : fraction);
        }

        json.Append(exponent);
        if (!double.TryParse(json.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            // 1e999 would reach the tool as Infinity: the call is invalid, not a huge number.
            Position = start;
            return Fail("a number that overflows a double");
        }

        writer.WriteRawValue(json.ToString());
        return true;
    }

    private bool TryReadPrefixedInteger(Utf8JsonWriter writer, bool negative, int start)
    {
        var radix = char.ToLowerInvariant(_text[Position + 1]) switch
        {
            'x' => 16,
            'o' => 8,
            _ => 2,
        };
        Position += 2;
        var digits = ReadDigits(hex: radix == 16);
        try
        {
            var value = System.Convert.ToInt64(digits, radix);
            writer.WriteNumberValue(negative ? -value : value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            Position = start;
            return Fail("a malformed number");
        }
    }

    private string ReadDigits(bool hex = false)
    {
        var builder = new StringBuilder();
        while (Position < _end)
        {
            var c = _text[Position];
            if (char.IsAsciiDigit(c) || (hex && char.IsAsciiHexDigit(c)))
            {
                builder.Append(c);
            }
            else if (c != '_')
            {
                break;
            }

            Position++;
        }

        return builder.ToString();
    }

    private bool Fail(string error)
    {
        Error = error;
        return false;
    }
}
