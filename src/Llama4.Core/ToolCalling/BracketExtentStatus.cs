namespace Llama4.Core.ToolCalling;

/// <summary>How a bracket scan ended.</summary>
internal enum BracketExtentStatus
{
    /// <summary>The outermost bracket closed (or a mismatched closer ended the value: the parse then fails).</summary>
    Closed,

    /// <summary>The text ran out first.</summary>
    Incomplete,

    /// <summary>A <c>&lt;|python_end|&gt;</c> marker came first.</summary>
    Terminated,
}
