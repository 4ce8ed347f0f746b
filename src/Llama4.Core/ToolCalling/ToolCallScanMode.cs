namespace Llama4.Core.ToolCalling;

/// <summary>Where <see cref="ToolCallStreamParser"/> is in the output.</summary>
internal enum ToolCallScanMode
{
    /// <summary>Prose, watching for call starts.</summary>
    Text,

    /// <summary>Right after a call: separators and end-of-turn noise are dropped.</summary>
    Gap,

    /// <summary>Inside <c>&lt;|python_start|&gt;</c>: everything is call content until <c>&lt;|python_end|&gt;</c>.</summary>
    Region,
}
