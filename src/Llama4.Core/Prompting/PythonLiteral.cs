using System.Text;
using System.Text.Json;

namespace Llama4.Core.Prompting;

/// <summary>Writes JSON values as Python literals (<c>True</c>, <c>None</c>, double-quoted strings) for the pythonic call style.</summary>
internal static class PythonLiteral
{
    public static string Call(string name, IReadOnlyDictionary<string, JsonElement> arguments)
    {
        var builder = new StringBuilder(name).Append('(');
        var first = true;
        foreach (var (argument, value) in arguments)
        {
            builder.Append(first ? string.Empty : ", ").Append(argument).Append('=');
            first = false;
            Write(builder, value);
        }

        return builder.Append(')').ToString();
    }

    /// <summary>Writes one value as a Python literal.</summary>
    public static string Value(JsonElement value)
    {
        var builder = new StringBuilder();
        Write(builder, value);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var firstMember = true;
                foreach (var member in value.EnumerateObject())
                {
                    builder.Append(firstMember ? string.Empty : ", ");
                    firstMember = false;
                    PythonStyleJson.WriteString(builder, member.Name);
                    builder.Append(": ");
                    Write(builder, member.Value);
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    builder.Append(firstItem ? string.Empty : ", ");
                    firstItem = false;
                    Write(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                PythonStyleJson.WriteString(builder, value.GetString()!);
                break;
            case JsonValueKind.True:
                builder.Append("True");
                break;
            case JsonValueKind.False:
                builder.Append("False");
                break;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                builder.Append("None");
                break;
            default:
                builder.Append(value.GetRawText());
                break;
        }
    }
}
