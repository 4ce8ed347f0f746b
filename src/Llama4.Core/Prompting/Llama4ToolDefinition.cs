using System.Text.Json;

namespace Llama4.Core;

/// <summary>A tool (function) offered to the model.</summary>
/// <param name="Name">The tool's name, any string; the model sees it as written (or as an identifier alias in the pythonic style).</param>
/// <param name="Description">What the tool does, or <see langword="null"/>.</param>
/// <param name="ParametersSchema">The JSON Schema of the tool's arguments object, or <see langword="null"/> for a tool without parameters.</param>
public sealed record Llama4ToolDefinition(string Name, string? Description, JsonElement? ParametersSchema);
