namespace Llama4.Core;

/// <summary>Why a generation ended.</summary>
public enum Llama4FinishReason
{
    /// <summary>The model ended its turn (<c>&lt;|eot|&gt;</c>, <c>&lt;|eom|&gt;</c>, <c>&lt;|end_of_text|&gt;</c> or another end-of-generation token), or a stop sequence matched.</summary>
    Stop,

    /// <summary>The output-token limit was reached, or the context had no room for another token.</summary>
    Length,

    /// <summary>The model ended its turn after calling one or more tools.</summary>
    ToolCalls,
}
