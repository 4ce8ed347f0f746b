using System.Text;
using System.Text.Json;

namespace Llama4.Core;

/// <summary>A tool (function) offered to the model.</summary>
/// <param name="Name">The tool's name, any string; the model sees it as written (or as an identifier alias in the pythonic style).</param>
/// <param name="Description">What the tool does, or <see langword="null"/>.</param>
/// <param name="ParametersSchema">The JSON Schema of the tool's arguments object, or <see langword="null"/> for a tool without parameters.</param>
/// <exception cref="ArgumentException">
/// The name is empty; a text is not valid UTF-16 (an unpaired surrogate); or the schema does not describe a JSON object
/// (a number, an array, <c>false</c>, a <c>type</c> other than <c>object</c>) or is nested more than 64 levels deep.
/// </exception>
public sealed record Llama4ToolDefinition(string Name, string? Description, JsonElement? ParametersSchema)
{
    /// <summary>The deepest JSON nesting a parameters schema may have (System.Text.Json's default limit).</summary>
    internal const int MaxSchemaDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly JsonElement AnyObject = JsonDocument.Parse("{\"type\":\"object\"}").RootElement;

    /// <summary>Gets the tool's name.</summary>
    public string Name { get; init; } = CheckText(Name ?? throw new ArgumentNullException(nameof(Name)), Name, "name") is { Length: > 0 } name
        ? name
        : throw new ArgumentException("A tool's name must not be empty.", nameof(Name));

    /// <summary>Gets what the tool does, or <see langword="null"/>.</summary>
    public string? Description { get; init; } = Description is null ? null : CheckText(Description, Name, "description");

    /// <summary>
    /// Gets the JSON Schema of the tool's arguments object, or <see langword="null"/> for a tool without parameters. The
    /// schema <c>true</c> (any arguments) is kept as <c>{"type":"object"}</c>: Llama 4 passes arguments as an object.
    /// </summary>
    public JsonElement? ParametersSchema { get; init; } = CheckSchema(Name, ParametersSchema);

    private static string CheckText(string text, string tool, string what)
    {
        try
        {
            StrictUtf8.GetByteCount(text);
            return text;
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"The {what} of tool '{Escape(tool)}' contains an unpaired UTF-16 surrogate, which no JSON or UTF-8 text can carry; remove it.", what);
        }
    }

    private static JsonElement? CheckSchema(string tool, JsonElement? schema)
    {
        if (schema is not { ValueKind: not JsonValueKind.Undefined } element)
        {
            return null;
        }

        var problem = element.ValueKind switch
        {
            JsonValueKind.True => null,
            JsonValueKind.Object => TypeProblem(element) ?? WalkProblem(element, 1),
            JsonValueKind.False => "is false, which no arguments satisfy, so the tool could never be called",
            _ => $"is a JSON {element.ValueKind.ToString().ToLowerInvariant()}, not a schema object",
        };
        if (problem is not null)
        {
            throw new ArgumentException(
                $"The parameters schema of tool '{Escape(tool)}' {problem}. Llama 4 passes a tool's arguments as one JSON object: give the tool an object schema ({{\"type\":\"object\",\"properties\":{{...}}}}).",
                nameof(schema));
        }

        return element.ValueKind == JsonValueKind.True ? AnyObject : element;
    }

    private static string? TypeProblem(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return null;
        }

        return type.ValueKind switch
        {
            JsonValueKind.String when type.ValueEquals("object") => null,
            JsonValueKind.Array when type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.ValueEquals("object")) => null,
            _ => $"has type {type.GetRawText()}, not \"object\"",
        };
    }

    private static string? WalkProblem(JsonElement element, int depth)
    {
        if (depth > MaxSchemaDepth)
        {
            return $"is nested more than {MaxSchemaDepth} levels deep";
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if ((InvalidString(() => property.Name) ?? WalkProblem(property.Value, depth + 1)) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (WalkProblem(item, depth + 1) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.String:
                return InvalidString(() => element.GetString());
            default:
                return null;
        }
    }

    private static string? InvalidString(Func<string?> read)
    {
        try
        {
            read();
            return null;
        }
        catch (InvalidOperationException)
        {
            return "contains a string with an unpaired UTF-16 surrogate, which no JSON or UTF-8 text can carry";
        }
    }

    private static string Escape(string text) => text.Length > 64 ? text[..64] + "..." : text;
}
