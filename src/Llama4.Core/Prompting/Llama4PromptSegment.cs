namespace Llama4.Core;

/// <summary>A piece of a formatted prompt: either a special token written by the formatter, or text.</summary>
/// <param name="Text">The segment's text (for a special token, its exact text such as <c>&lt;|eot|&gt;</c>).</param>
/// <param name="IsSpecialToken">
/// <see langword="true"/> when the segment is one special token that the formatter wrote; such segments are tokenized
/// with special-token parsing on. Every other segment is tokenized with it off, so user, tool and document text cannot
/// forge turns.
/// </param>
public readonly record struct Llama4PromptSegment(string Text, bool IsSpecialToken)
{
    /// <summary>
    /// Gets the image this segment stands for, or null for text and special tokens. An image segment's
    /// <see cref="Text"/> is the placeholder <c>&lt;|image|&gt;</c> (for <see cref="Llama4Prompt.ToString"/>); the engine
    /// replaces it with the image's tokens from the vision projector.
    /// </summary>
    public Llama4Image? Image { get; init; }
}
