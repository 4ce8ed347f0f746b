using System.Text.Json;

namespace Llama4.Core.ToolCalling;

/// <summary>
/// Reads JSON tool calls: <c>{"name": ..., "parameters": {...}}</c> (or <c>"arguments"</c>), alone or in a list,
/// and the JSON body of a <c>&lt;function=name&gt;</c> tag.
/// </summary>
internal static class JsonCallReader
{
    /// <summary>Reads one call object, or a list of them.</summary>
    /// <param name="json">The complete JSON text (an object or an array).</param>
    /// <param name="names">The offered tools.</param>
    /// <param name="segments">Receives the calls, and the text of refused list elements, in order.</param>
    /// <param name="warnings">Receives repairs and why elements were refused.</param>
    /// <returns><see langword="false"/> when nothing is a valid call: the caller keeps it all as text.</returns>
    public static bool TryRead(string json, ToolNameTable names, List<ToolCallSegment> segments, List<string> warnings)
    {
        if (!ToolCallJson.TryParse(json, out var root))
        {
            warnings.Add($"JSON tool call kept as text (not valid JSON): {ToolCallJson.Excerpt(json)}");
            return false;
        }

        if (root.ValueKind == JsonValueKind.Object)
        {
            if (TryCreateCall(root, names, warnings, out var call, out var reason))
            {
                segments.Add(ToolCallSegment.ForCall(call));
                return true;
            }

            warnings.Add(reason);
            return false;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            warnings.Add($"JSON tool call kept as text (not an object or a list): {ToolCallJson.Excerpt(json)}");
            return false;
        }

        var elements = new List<ToolCallSegment>();
        var elementWarnings = new List<string>();
        var anyCall = false;
        foreach (var element in root.EnumerateArray())
        {
            if (TryCreateCall(element, names, elementWarnings, out var call, out var reason))
            {
                elements.Add(ToolCallSegment.ForCall(call));
                anyCall = true;
            }
            else
            {
                elements.Add(ToolCallSegment.ForText(element.GetRawText()));
                elementWarnings.Add(reason);
            }
        }

        warnings.AddRange(elementWarnings);
        if (anyCall)
        {
            segments.AddRange(elements);
        }

        return anyCall;
    }

    /// <summary>Reads the arguments object of a <c>&lt;function=name&gt;{...}&lt;/function&gt;</c> call.</summary>
    /// <param name="json">The complete JSON text.</param>
    /// <param name="realName">The tool, already resolved.</param>
    /// <param name="segments">Receives the call.</param>
    /// <param name="warnings">Receives why it was refused.</param>
    /// <returns><see langword="false"/> when the body is not a JSON object.</returns>
    public static bool TryReadFunctionTagBody(
        string json,
        string realName,
        List<ToolCallSegment> segments,
        List<string> warnings)
    {
        if (!ToolCallJson.TryParse(json, out var body) || body.ValueKind != JsonValueKind.Object)
        {
            warnings.Add($"Tool call to '{realName}' kept as text: the <function=...> body is not a JSON object: {ToolCallJson.Excerpt(json)}");
            return false;
        }

        if (ToolCallJson.FindNonFiniteNumber(body) is { } overflow)
        {
            warnings.Add($"Tool call to '{realName}' kept as text: the number {ToolCallJson.Excerpt(overflow)} overflows a double (the tool would receive Infinity).");
            return false;
        }

        segments.Add(ToolCallSegment.ForCall(
            new ParsedToolCall(realName, ToolCallJson.ToDictionary(body), ToolCallSyntax.FunctionTag)));
        return true;
    }

    private static bool TryCreateCall(
        JsonElement value,
        ToolNameTable names,
        List<string> warnings,
        out ParsedToolCall call,
        out string reason)
    {
        call = null!;
        var excerpt = ToolCallJson.Excerpt(value.GetRawText());
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("name", out var nameElement)
            || nameElement.ValueKind != JsonValueKind.String
            || nameElement.GetString() is not { Length: > 0 } name)
        {
            reason = $"JSON tool call kept as text (no \"name\"): {excerpt}";
            return false;
        }

        if (!names.TryResolve(name, out var realName))
        {
            reason = $"Tool call to '{name}' kept as text: no tool of that name was offered.";
            return false;
        }

        if (!value.TryGetProperty("parameters", out var arguments) && !value.TryGetProperty("arguments", out arguments))
        {
            reason = $"Tool call to '{realName}' kept as text: it has no \"parameters\" or \"arguments\": {excerpt}";
            return false;
        }

        switch (arguments.ValueKind)
        {
            case JsonValueKind.Object:
                break;
            case JsonValueKind.Null:
                warnings.Add($"Tool call to '{realName}': null arguments read as no arguments.");
                arguments = EmptyObject();
                break;
            case JsonValueKind.String when TryDecodeArguments(arguments.GetString()!, out var decoded):
                warnings.Add($"Tool call to '{realName}': the arguments were a JSON string; decoded it.");
                arguments = decoded;
                break;
            default:
                reason = $"Tool call to '{realName}' kept as text: its arguments are not a JSON object: {excerpt}";
                return false;
        }

        if (ToolCallJson.FindNonFiniteNumber(arguments) is { } overflow)
        {
            reason = $"Tool call to '{realName}' kept as text: the number {ToolCallJson.Excerpt(overflow)} overflows a double (the tool would receive Infinity).";
            return false;
        }

        call = new ParsedToolCall(realName, ToolCallJson.ToDictionary(arguments), ToolCallSyntax.Json);
        reason = string.Empty;
        return true;
    }

    private static bool TryDecodeArguments(string encoded, out JsonElement decoded)
    {
        if (encoded.Trim().Length == 0)
        {
            decoded = EmptyObject();
            return true;
        }

        return ToolCallJson.TryParse(encoded, out decoded) && decoded.ValueKind == JsonValueKind.Object;
    }

    private static JsonElement EmptyObject() => ToolCallJson.Create(w =>
    {
        w.WriteStartObject();
        w.WriteEndObject();
    });
}
