using System.Text.Json;

namespace Llama4.Core;

/// <summary>A call of a tool, made by the model or rendered back into a prompt.</summary>
/// <param name="Name">The tool's name.</param>
/// <param name="Arguments">The arguments, by name.</param>
public sealed record Llama4ToolCall(string Name, IReadOnlyDictionary<string, JsonElement> Arguments);
