using System.Text.Json;

namespace Llama4.Core;

/// <summary>A call of a tool, made by the model or rendered back into a prompt.</summary>
/// <param name="Name">The tool's name.</param>
/// <param name="Arguments">The arguments, by name.</param>
public sealed record Llama4ToolCall(string Name, IReadOnlyDictionary<string, JsonElement> Arguments)
{
    /// <summary>Compares the name and the arguments (names and JSON text, in order).</summary>
    /// <param name="other">The other call.</param>
    /// <returns>Whether both calls are the same.</returns>
    public bool Equals(Llama4ToolCall? other) =>
        other is not null && Name == other.Name && Arguments.Count == other.Arguments.Count &&
        Arguments.Zip(other.Arguments).All(p => p.First.Key == p.Second.Key && p.First.Value.GetRawText() == p.Second.Value.GetRawText());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Arguments.Count);
}
