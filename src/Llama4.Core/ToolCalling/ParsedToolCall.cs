using System.Text.Json;

namespace Llama4.Core.ToolCalling;

/// <summary>One complete tool call found in the model's output.</summary>
/// <param name="Name">The offered tool's real name (an alias the model used is already mapped back).</param>
/// <param name="Arguments">The arguments by name, as written by the model (JSON values; pythonic values converted).</param>
/// <param name="Syntax">The style the model wrote the call in.</param>
internal sealed record ParsedToolCall(
    string Name,
    IReadOnlyDictionary<string, JsonElement> Arguments,
    ToolCallSyntax Syntax);
