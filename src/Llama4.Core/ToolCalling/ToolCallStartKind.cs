namespace Llama4.Core.ToolCalling;

/// <summary>What a call-start check found.</summary>
internal enum ToolCallStartKind
{
    /// <summary>Not a call start: the text is prose.</summary>
    None,

    /// <summary>The text ends before the check can decide: hold it back.</summary>
    Undecided,

    /// <summary>A JSON call object.</summary>
    JsonObject,

    /// <summary>A JSON list of call objects.</summary>
    JsonList,

    /// <summary>A pythonic list of calls.</summary>
    PythonicList,

    /// <summary>A bare pythonic call <c>name(...)</c> (only inside <c>&lt;|python_start|&gt;</c>).</summary>
    BareCall,

    /// <summary>A <c>&lt;function=name&gt;</c> tag.</summary>
    FunctionTag,
}
