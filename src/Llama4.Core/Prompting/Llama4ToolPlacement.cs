namespace Llama4.Core;

/// <summary>Where tool definitions go in the prompt.</summary>
public enum Llama4ToolPlacement
{
    /// <summary>In the first user message, as Meta's Llama 4 template does by default.</summary>
    FirstUserMessage,

    /// <summary>In the system message (Meta's template with <c>tools_in_user_message = false</c>).</summary>
    SystemMessage,
}
