using System.Globalization;
using System.Text.Json;

namespace Llama4.Core.ToolCalling;

/// <summary>
/// Converts parsed tool-call arguments to the types the tool's JSON schema asks for, where the conversion is
/// unambiguous, and says what it changed. Models (and other servers' parsers) are known to write arrays and objects
/// as JSON strings, numbers and booleans as strings, and strings as bare numbers.
/// </summary>
internal static class ToolArgumentConverter
{
    /// <summary>Converts arguments to the schema's types.</summary>
    /// <param name="arguments">The arguments as parsed.</param>
    /// <param name="parametersSchema">The tool's parameters schema (a JSON schema of type object, as in
    /// <c>AIFunction.JsonSchema</c>), or <see langword="null"/> for no conversion.</param>
    /// <param name="repairs">One line per value changed, naming the argument path.</param>
    /// <returns>Every argument (none is dropped), each value a <see cref="JsonElement"/>.</returns>
    /// <remarks>
    /// Conversions: a string holding a JSON (or Python literal) array/object where only array/object fits; a string
    /// holding a number where integer/number fits (integer only for integral values); <c>"true"</c>/<c>"false"</c>
    /// (any case) where boolean fits; a number where string fits and number does not; an integral float such as
    /// <c>5.0</c> where integer fits. A value that already fits one of the allowed types is left alone, and so is
    /// everything the schema does not type (no <c>type</c>, <c>$ref</c>, <c>anyOf</c> with an untyped branch).
    /// Nested arrays (<c>items</c>) and objects (<c>properties</c>, <c>additionalProperties</c>) are converted too.
    /// </remarks>
    public static IDictionary<string, object?> Convert(
        IReadOnlyDictionary<string, JsonElement> arguments,
        JsonElement? parametersSchema,
        out IReadOnlyList<string> repairs)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var log = new List<string>();
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments)
        {
            var schema = parametersSchema is { } root ? PropertySchema(root, name) : null;
            result[name] = ConvertValue(value, schema, name, log);
        }

        repairs = log;
        return result;
    }

    private static JsonElement ConvertValue(JsonElement value, JsonElement? schema, string path, List<string> log)
    {
        if (schema is not { } s || AllowedTypes(s) is not { } types)
        {
            return value;
        }

        if (!Fits(value, types))
        {
            if (TryConvert(value, types, path, log, out var converted))
            {
                value = converted;
            }
            else
            {
                return value;
            }
        }

        return value.ValueKind switch
        {
            JsonValueKind.Array => ConvertItems(value, s, path, log),
            JsonValueKind.Object => ConvertProperties(value, s, path, log),
            _ => value,
        };
    }

    private static bool TryConvert(JsonElement value, HashSet<string> types, string path, List<string> log, out JsonElement converted)
    {
        converted = value;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!.Trim();
                if ((types.Contains("array") || types.Contains("object")) && TryParseStructured(text, out var structured)
                    && ((structured.ValueKind == JsonValueKind.Array && types.Contains("array"))
                        || (structured.ValueKind == JsonValueKind.Object && types.Contains("object"))))
                {
                    converted = structured;
                    log.Add($"{path}: parsed the string into a JSON {(structured.ValueKind == JsonValueKind.Array ? "array" : "object")}.");
                    return true;
                }

                if (types.Contains("integer") && TryParseNumber(text, out var number) && TryIntegral(number, out var integer))
                {
                    converted = integer;
                    log.Add($"{path}: converted the string \"{text}\" to the integer {integer.GetRawText()}.");
                    return true;
                }

                if (types.Contains("number") && TryParseNumber(text, out number))
                {
                    converted = number;
                    log.Add($"{path}: converted the string \"{text}\" to the number {number.GetRawText()}.");
                    return true;
                }

                if (types.Contains("boolean") && (text.Equals("true", StringComparison.OrdinalIgnoreCase)
                    || text.Equals("false", StringComparison.OrdinalIgnoreCase)))
                {
                    var flag = text.Equals("true", StringComparison.OrdinalIgnoreCase);
                    converted = ToolCallJson.FromBoolean(flag);
                    log.Add($"{path}: converted the string \"{text}\" to the boolean {(flag ? "true" : "false")}.");
                    return true;
                }

                return false;

            case JsonValueKind.Number:
                if (types.Contains("integer") && TryIntegral(value, out var whole))
                {
                    converted = whole;
                    log.Add($"{path}: converted {value.GetRawText()} to the integer {whole.GetRawText()}.");
                    return true;
                }

                if (types.Contains("string") && !types.Contains("number") && !types.Contains("integer"))
                {
                    converted = ToolCallJson.FromString(value.GetRawText());
                    log.Add($"{path}: converted the number {value.GetRawText()} to a string.");
                    return true;
                }

                return false;

            default:
                return false;
        }
    }

    private static JsonElement ConvertItems(JsonElement array, JsonElement schema, string path, List<string> log)
    {
        if (!schema.TryGetProperty("items", out var items))
        {
            return array;
        }

        var values = new List<JsonElement>();
        var changed = false;
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            JsonElement? itemSchema = items.ValueKind switch
            {
                JsonValueKind.Object => items,
                JsonValueKind.Array when index < items.GetArrayLength() => items[index],
                _ => null,
            };
            var converted = ConvertValue(item, itemSchema, string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]"), log);
            changed |= converted.GetRawText() != item.GetRawText();
            values.Add(converted);
            index++;
        }

        return changed
            ? ToolCallJson.Create(w =>
            {
                w.WriteStartArray();
                foreach (var v in values)
                {
                    v.WriteTo(w);
                }

                w.WriteEndArray();
            })
            : array;
    }

    private static JsonElement ConvertProperties(JsonElement obj, JsonElement schema, string path, List<string> log)
    {
        var values = new List<(string Name, JsonElement Value)>();
        var changed = false;
        foreach (var property in obj.EnumerateObject())
        {
            var converted = ConvertValue(property.Value, PropertySchema(schema, property.Name), $"{path}.{property.Name}", log);
            changed |= converted.GetRawText() != property.Value.GetRawText();
            values.Add((property.Name, converted));
        }

        return changed
            ? ToolCallJson.Create(w =>
            {
                w.WriteStartObject();
                foreach (var (name, value) in values)
                {
                    w.WritePropertyName(name);
                    value.WriteTo(w);
                }

                w.WriteEndObject();
            })
            : obj;
    }

    private static JsonElement? PropertySchema(JsonElement objectSchema, string name)
    {
        if (objectSchema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (objectSchema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty(name, out var property))
        {
            return property;
        }

        return objectSchema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object
            ? additional
            : null;
    }

    // The JSON types a schema allows, or null when it does not say (then nothing is converted).
    private static HashSet<string>? AllowedTypes(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (schema.TryGetProperty("type", out var type))
        {
            var types = new HashSet<string>(StringComparer.Ordinal);
            if (type.ValueKind == JsonValueKind.String)
            {
                types.Add(type.GetString()!);
            }
            else if (type.ValueKind == JsonValueKind.Array)
            {
                foreach (var t in type.EnumerateArray())
                {
                    if (t.ValueKind == JsonValueKind.String)
                    {
                        types.Add(t.GetString()!);
                    }
                }
            }

            return types.Count == 0 ? null : types;
        }

        foreach (var keyword in (string[])["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(keyword, out var branches) && branches.ValueKind == JsonValueKind.Array)
            {
                var types = new HashSet<string>(StringComparer.Ordinal);
                foreach (var branch in branches.EnumerateArray())
                {
                    if (AllowedTypes(branch) is not { } branchTypes)
                    {
                        return null;
                    }

                    types.UnionWith(branchTypes);
                }

                return types.Count == 0 ? null : types;
            }
        }

        return null;
    }

    private static bool Fits(JsonElement value, HashSet<string> types) => value.ValueKind switch
    {
        JsonValueKind.String => types.Contains("string"),
        JsonValueKind.Number => types.Contains("number") || (types.Contains("integer") && IsIntegerLiteral(value)),
        JsonValueKind.True or JsonValueKind.False => types.Contains("boolean"),
        JsonValueKind.Array => types.Contains("array"),
        JsonValueKind.Object => types.Contains("object"),
        JsonValueKind.Null => types.Contains("null"),
        _ => false,
    };

    // An integer written as one (5, -3); 5.0 and 5e0 are integral but do not bind to integer parameters.
    private static bool IsIntegerLiteral(JsonElement number) =>
        number.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0;

    private static bool TryIntegral(JsonElement number, out JsonElement integer)
    {
        integer = default;
        if (number.TryGetInt64(out _) && IsIntegerLiteral(number))
        {
            integer = number;
            return true;
        }

        if (number.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue)
        {
            integer = ToolCallJson.FromInt64((long)d);
            return true;
        }

        return false;
    }

    private static bool TryParseNumber(string text, out JsonElement number)
    {
        number = default;
        return text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '-')
            && ToolCallJson.TryParse(text, out number) && number.ValueKind == JsonValueKind.Number;
    }

    private static bool TryParseStructured(string text, out JsonElement value)
    {
        value = default;
        if (text.Length == 0 || text[0] is not ('[' or '{'))
        {
            return false;
        }

        if (ToolCallJson.TryParse(text, out value))
        {
            return true;
        }

        // Python reprs ("['a', 'b']", "{'k': True}") are written by some models too.
        var reader = new PythonLiteralReader(text, 0, text.Length);
        if (reader.TryReadElement(out value))
        {
            reader.SkipWhitespace();
            return reader.AtEnd;
        }

        return false;
    }
}
