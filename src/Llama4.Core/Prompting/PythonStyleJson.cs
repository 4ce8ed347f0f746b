using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Llama4.Core.Prompting;

/// <summary>
/// Writes JSON exactly as Python's <c>json.dumps(..., ensure_ascii=False)</c> does, which is what Meta's chat template
/// (<c>tojson</c>) produces: <c>", "</c> and <c>": "</c> separators when compact, 4-space indentation when indented,
/// non-ASCII characters kept as they are. Number tokens are copied verbatim.
/// </summary>
internal static class PythonStyleJson
{
    public static string Serialize(JsonElement value, bool indented = false)
    {
        var builder = new StringBuilder();
        Write(builder, value, indented ? 0 : -1);
        return builder.ToString();
    }

    public static string Serialize(IReadOnlyDictionary<string, JsonElement> members)
    {
        var builder = new StringBuilder("{");
        var first = true;
        foreach (var (name, value) in members)
        {
            builder.Append(first ? string.Empty : ", ");
            first = false;
            WriteString(builder, name);
            builder.Append(": ");
            Write(builder, value, -1);
        }

        return builder.Append('}').ToString();
    }

    public static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    // level < 0: compact. level >= 0: indented by 4 spaces per level.
    private static void Write(StringBuilder builder, JsonElement value, int level)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteContainer(builder, '{', '}', value.EnumerateObject().Select(p => ((string?)p.Name, p.Value)), level, named: true);
                break;
            case JsonValueKind.Array:
                WriteContainer(builder, '[', ']', value.EnumerateArray().Select(v => ((string?)null, v)), level, named: false);
                break;
            case JsonValueKind.String:
                WriteString(builder, value.GetString()!);
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                builder.Append("null");
                break;
            default:
                builder.Append(value.GetRawText());
                break;
        }
    }

    private static void WriteContainer(StringBuilder builder, char open, char close, IEnumerable<(string? Name, JsonElement Value)> items, int level, bool named)
    {
        builder.Append(open);
        var any = false;
        foreach (var (name, value) in items)
        {
            if (level < 0)
            {
                builder.Append(any ? ", " : string.Empty);
            }
            else
            {
                builder.Append(any ? "," : string.Empty).Append('\n').Append(' ', 4 * (level + 1));
            }

            any = true;
            if (named)
            {
                WriteString(builder, name!);
                builder.Append(": ");
            }

            Write(builder, value, level < 0 ? -1 : level + 1);
        }

        if (any && level >= 0)
        {
            builder.Append('\n').Append(' ', 4 * level);
        }

        builder.Append(close);
    }
}
