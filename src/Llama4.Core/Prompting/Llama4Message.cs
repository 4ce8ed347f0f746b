namespace Llama4.Core;

/// <summary>One turn of a conversation in the Llama 4 format.</summary>
/// <param name="Role">The turn's role.</param>
/// <param name="Content">The turn's text. It is always tokenized as plain text: special-token strings in it stay text.</param>
public sealed record Llama4Message(Llama4Role Role, string Content)
{
    /// <summary>Gets the tool calls an assistant turn made, rendered after its text; empty for other turns.</summary>
    public IReadOnlyList<Llama4ToolCall> ToolCalls { get; init; } = [];

    /// <summary>
    /// Gets the images of a user turn, in order; empty for none. Each is placed where <see cref="ImagePositions"/> says,
    /// or, without positions, before the turn's text. Only user turns may carry images, and the engine needs a vision
    /// projector (<see cref="Llama4EngineOptions.ProjectorPath"/>) to read them.
    /// </summary>
    public IReadOnlyList<Llama4Image> Images { get; init; } = [];

    /// <summary>
    /// Gets where each image goes among the turn's text: one character index into <see cref="Content"/> per image
    /// (the image is placed before that character; <c>Content.Length</c> places it after the text), in non-decreasing
    /// order. Empty (the default) places every image before the text. <c>"First: " + image + " Second: " + image</c> is
    /// <c>Content = "First:  Second: "</c> with positions 7 and 16, as Meta's chat template keeps a message's contents in
    /// order.
    /// </summary>
    public IReadOnlyList<int> ImagePositions { get; init; } = [];

    /// <summary>Compares role, content, tool calls, images (by value) and their positions.</summary>
    /// <param name="other">The other message.</param>
    /// <returns>Whether both messages render the same turn.</returns>
    public bool Equals(Llama4Message? other) =>
        other is not null && Role == other.Role && Content == other.Content && ToolCalls.SequenceEqual(other.ToolCalls)
        && Images.SequenceEqual(other.Images) && PlacedAt().SequenceEqual(other.PlacedAt());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Role, Content, ToolCalls.Count, Images.Count);

    // Where the images go as rendered: no positions means every image before the text.
    internal IReadOnlyList<int> PlacedAt() => ImagePositions.Count == 0 ? new int[Images.Count] : ImagePositions;
}
