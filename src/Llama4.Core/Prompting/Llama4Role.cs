namespace Llama4.Core;

/// <summary>The roles of the Llama 4 instruct format.</summary>
public enum Llama4Role
{
    /// <summary>The system turn (instructions). Only a first system message is rendered as Meta's template renders it (trimmed).</summary>
    System,

    /// <summary>A user turn.</summary>
    User,

    /// <summary>An assistant turn.</summary>
    Assistant,

    /// <summary>A tool result turn (<c>ipython</c> in the Llama 4 format).</summary>
    IPython,
}
