using System.Text;

namespace Llama4.Core;

/// <summary>A formatted Llama 4 prompt: an ordered list of special-token and text segments.</summary>
public sealed class Llama4Prompt
{
    /// <summary>Creates a prompt from its segments.</summary>
    /// <param name="segments">The segments in order.</param>
    public Llama4Prompt(IReadOnlyList<Llama4PromptSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        Segments = segments;
    }

    /// <summary>Gets the segments in order.</summary>
    public IReadOnlyList<Llama4PromptSegment> Segments { get; }

    /// <summary>
    /// Gets where the preamble that conversations with the same system turn and tools share ends: the segments before
    /// <c>Segment</c>, then the first <c>Characters</c> characters of segment <c>Segment</c>. Null when unknown (the
    /// prompt was not made by <see cref="Llama4PromptFormatter"/>).
    /// </summary>
    internal (int Segment, int Characters)? PreambleEnd { get; init; }

    /// <summary>Renders the prompt as one string, exactly as Meta's chat template would (special tokens as their text).</summary>
    /// <returns>The prompt text.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var segment in Segments)
        {
            builder.Append(segment.Text);
        }

        return builder.ToString();
    }
}
