using Microsoft.Extensions.AI;

namespace Llama4.Moderation;

/// <summary>A piece of text to moderate, where it comes from, and the conversation it belongs to.</summary>
public sealed record ModerationRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="text">The text to moderate.</param>
    /// <param name="source">Where the text comes from.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is not a defined value.</exception>
    public ModerationRequest(string text, ModerationSource source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Enum.IsDefined(source))
        {
            throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown moderation source.");
        }

        Text = text;
        Source = source;
    }

    /// <summary>Gets the text to moderate.</summary>
    public string Text { get; init; }

    /// <summary>Gets where the text comes from.</summary>
    public ModerationSource Source { get; init; }

    /// <summary>Gets the conversation before the text (oldest first); empty when there is none.</summary>
    public IReadOnlyList<ChatMessage> History { get; init; } = [];

    /// <summary>
    /// Gets the images that accompany the text (the image <see cref="DataContent"/>s of the same message, in order);
    /// empty when there are none. A moderator that reads images checks them with the text; text-only moderators ignore
    /// them. A message with images and no text is checked as an empty <see cref="Text"/> with its images.
    /// </summary>
    public IReadOnlyList<DataContent> Images { get; init; } = [];

    /// <summary>Gets the name of the tool whose arguments or result the text is, or <see langword="null"/>.</summary>
    public string? ToolName { get; init; }
}
