namespace Llama4.Core;

/// <summary>One turn of a conversation in the Llama 4 format.</summary>
/// <param name="Role">The turn's role.</param>
/// <param name="Content">The turn's text. It is always tokenized as plain text: special-token strings in it stay text.</param>
public sealed record Llama4Message(Llama4Role Role, string Content)
{
    /// <summary>Gets the tool calls an assistant turn made, rendered after its text; empty for other turns.</summary>
    public IReadOnlyList<Llama4ToolCall> ToolCalls { get; init; } = [];

    /// <summary>
    /// Gets the images of a user turn, rendered in order before its text (as Meta's examples place them); empty for
    /// none. Only user turns may carry images, and the engine needs a vision projector
    /// (<see cref="Llama4EngineOptions.ProjectorPath"/>) to read them.
    /// </summary>
    public IReadOnlyList<Llama4Image> Images { get; init; } = [];

    /// <summary>Compares role, content, tool calls and images (by value).</summary>
    /// <param name="other">The other message.</param>
    /// <returns>Whether both messages render the same turn.</returns>
    public bool Equals(Llama4Message? other) =>
        other is not null && Role == other.Role && Content == other.Content && ToolCalls.SequenceEqual(other.ToolCalls)
        && Images.SequenceEqual(other.Images);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Role, Content, ToolCalls.Count, Images.Count);
}
