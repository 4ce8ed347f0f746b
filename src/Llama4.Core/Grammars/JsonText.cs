using System.Text;
using System.Text.Json;

namespace Llama4.Core.Grammars;

/// <summary>Canonical compact JSON text for schema values (enum, const, property names) and JSON value equality.</summary>
internal static class JsonText
{
    /// <summary>Returns <paramref name="value"/> as a JSON string literal, escaping only what JSON requires.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The quoted JSON string.</returns>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        Prompting.PythonStyleJson.WriteString(builder, value);
        return builder.ToString();
    }

    /// <summary>Writes a JSON value compactly: no whitespace, members in their order, numbers as written.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The JSON text.</returns>
    public static string Canonical(JsonElement value)
    {
        var builder = new StringBuilder();
        Write(builder, value);
        return builder.ToString();
    }

    /// <summary>Compares two JSON values as JSON Schema does: numbers by value, objects ignoring member order.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool ValueEquals(JsonElement left, JsonElement right)
    {
        if (left.ValueKind is JsonValueKind.True or JsonValueKind.False || right.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return left.ValueKind == right.ValueKind;
        }

        if (left.ValueKind != right.ValueKind)
        {
            return false;
        }

        switch (left.ValueKind)
        {
            case JsonValueKind.String:
                return string.Equals(left.GetString(), right.GetString(), StringComparison.Ordinal);
            case JsonValueKind.Number:
                return ExactDecimal.TryParse(left.GetRawText(), out var a) && ExactDecimal.TryParse(right.GetRawText(), out var b)
                    ? a.CompareTo(b) == 0
                    : string.Equals(left.GetRawText(), right.GetRawText(), StringComparison.Ordinal);
            case JsonValueKind.Array:
                return left.GetArrayLength() == right.GetArrayLength()
                    && left.EnumerateArray().Zip(right.EnumerateArray()).All(pair => ValueEquals(pair.First, pair.Second));
            case JsonValueKind.Object:
                var leftMembers = left.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
                var rightMembers = right.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
                return leftMembers.Count == rightMembers.Count
                    && leftMembers.All(m => rightMembers.TryGetValue(m.Key, out var other) && ValueEquals(m.Value, other));
            default:
                return true;
        }
    }

    /// <summary>Gets the JSON Schema type name of a value (<c>integer</c> for whole numbers).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The type name.</returns>
    public static string TypeOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => ExactDecimal.TryParse(value.GetRawText(), out var d) && d.IsInteger ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    private static void Write(StringBuilder builder, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                builder.Append(Quote(value.GetString()!));
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                bool firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    builder.Append(firstItem ? string.Empty : ",");
                    Write(builder, item);
                    firstItem = false;
                }

                builder.Append(']');
                break;
            case JsonValueKind.Object:
                builder.Append('{');
                bool firstMember = true;
                foreach (var member in value.EnumerateObject())
                {
                    builder.Append(firstMember ? string.Empty : ",").Append(Quote(member.Name)).Append(':');
                    Write(builder, member.Value);
                    firstMember = false;
                }

                builder.Append('}');
                break;
            default:
                builder.Append(value.GetRawText());
                break;
        }
    }
}
