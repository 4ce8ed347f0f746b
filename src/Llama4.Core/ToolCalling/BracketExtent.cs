namespace Llama4.Core.ToolCalling;

/// <summary>Where a bracketed value that starts at an opening bracket ends.</summary>
/// <param name="Status">Whether the value closed, the text ran out, or <c>&lt;|python_end|&gt;</c> cut it.</param>
/// <param name="End">For <see cref="BracketExtentStatus.Closed"/>, the index after the closing bracket; for
/// <see cref="BracketExtentStatus.Terminated"/>, the index of the marker; otherwise the text's length.</param>
/// <param name="MissingClosers">The closing brackets that would balance the value, innermost first.</param>
/// <param name="InString">Whether the text stopped inside a string literal.</param>
internal readonly record struct BracketExtent(
    BracketExtentStatus Status,
    int End,
    string MissingClosers,
    bool InString);
