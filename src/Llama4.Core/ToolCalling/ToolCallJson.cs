using System.Buffers;
using System.Text.Json;

namespace Llama4.Core.ToolCalling;

/// <summary>Small System.Text.Json helpers shared by the tool-call readers and the argument converter.</summary>
internal static class ToolCallJson
{
    /// <summary>Gets the options used to parse model-written JSON: trailing commas are tolerated.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        AllowTrailingCommas = true,
        MaxDepth = 128,
    };

    /// <summary>Parses JSON text into a detached element.</summary>
    /// <param name="json">The text.</param>
    /// <param name="element">The value, when the text is one valid JSON value.</param>
    /// <returns><see langword="true"/> when it parsed.</returns>
    public static bool TryParse(string json, out JsonElement element)
    {
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            element = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            element = default;
            return false;
        }
    }

    /// <summary>Builds a detached element with a writer.</summary>
    /// <param name="write">Writes exactly one JSON value.</param>
    /// <returns>The value.</returns>
    public static JsonElement Create(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory, DocumentOptions);
        return document.RootElement.Clone();
    }

    /// <summary>Creates a JSON string value.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The value.</returns>
    public static JsonElement FromString(string value) => Create(w => w.WriteStringValue(value));

    /// <summary>Creates a JSON integer value.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The value.</returns>
    public static JsonElement FromInt64(long value) => Create(w => w.WriteNumberValue(value));

    /// <summary>Creates a JSON boolean value.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The value.</returns>
    public static JsonElement FromBoolean(bool value) => Create(w => w.WriteBooleanValue(value));

    /// <summary>Copies an object's properties into a dictionary (a repeated name keeps its last value).</summary>
    /// <param name="value">A JSON object.</param>
    /// <returns>The properties, each value detached.</returns>
    public static Dictionary<string, JsonElement> ToDictionary(JsonElement value)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            result[property.Name] = property.Value.Clone();
        }

        return result;
    }

    /// <summary>Shortens model output quoted in a warning.</summary>
    /// <param name="text">The text.</param>
    /// <returns>At most 120 characters of it.</returns>
    public static string Excerpt(string text) => text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 117), "...");

    /// <summary>
    /// Finds a number that a double cannot hold (<c>1e999</c> overflows to infinity): a tool would receive
    /// <c>Infinity</c>, so a call carrying one is refused.
    /// </summary>
    /// <param name="value">The value to search, nested arrays and objects included.</param>
    /// <returns>The number's text, or null when every number is finite.</returns>
    public static string? FindNonFiniteNumber(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                var text = value.GetRawText();
                return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? null : text;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (FindNonFiniteNumber(item) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                {
                    if (FindNonFiniteNumber(member.Value) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
