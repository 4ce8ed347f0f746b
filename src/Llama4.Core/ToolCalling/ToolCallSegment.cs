namespace Llama4.Core.ToolCalling;

/// <summary>One piece of parsed output, in order: either text or a call.</summary>
/// <param name="Text">Text to emit, or <see langword="null"/> for a call.</param>
/// <param name="Call">The call, or <see langword="null"/> for text.</param>
internal readonly record struct ToolCallSegment(string? Text, ParsedToolCall? Call)
{
    /// <summary>Creates a text segment.</summary>
    public static ToolCallSegment ForText(string text) => new(text, null);

    /// <summary>Creates a call segment.</summary>
    public static ToolCallSegment ForCall(ParsedToolCall call) => new(null, call);
}
