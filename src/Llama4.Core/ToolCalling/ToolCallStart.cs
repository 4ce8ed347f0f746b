namespace Llama4.Core.ToolCalling;

/// <summary>The outcome of a call-start check.</summary>
/// <param name="Kind">What was found.</param>
/// <param name="BodyStart">For <see cref="ToolCallStartKind.FunctionTag"/>, the index after the tag's <c>&gt;</c>.</param>
/// <param name="RealName">For <see cref="ToolCallStartKind.FunctionTag"/>, the resolved tool name.</param>
/// <param name="Warning">For <see cref="ToolCallStartKind.None"/>, why a call-like text was kept as text.</param>
internal readonly record struct ToolCallStart(
    ToolCallStartKind Kind,
    int BodyStart = -1,
    string? RealName = null,
    string? Warning = null)
{
    /// <summary>Gets the outcome for prose.</summary>
    public static ToolCallStart None { get; } = new(ToolCallStartKind.None);

    /// <summary>Gets the outcome for text that ends too early to decide.</summary>
    public static ToolCallStart Undecided { get; } = new(ToolCallStartKind.Undecided);
}
