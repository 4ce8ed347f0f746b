using Llama4.Core;

namespace Llama4.Extensions.AI;

/// <summary>How <see cref="Llama4ChatClient"/> presents tools to the model and handles requests that do not fit the context.</summary>
public sealed class Llama4ChatClientOptions
{
    /// <summary>Gets or sets where tool definitions go. Default <see cref="Llama4ToolPlacement.FirstUserMessage"/>, as Meta's template does.</summary>
    public Llama4ToolPlacement ToolPlacement { get; set; } = Llama4ToolPlacement.FirstUserMessage;

    /// <summary>Gets or sets the call syntax the model is asked to use. Default <see cref="Llama4ToolCallStyle.Json"/>.</summary>
    public Llama4ToolCallStyle ToolCallStyle { get; set; } = Llama4ToolCallStyle.Json;

    /// <summary>
    /// Gets or sets what happens when a request does not fit the context (prompt tokens, tools included, plus
    /// <c>MaxOutputTokens</c>, or one token when unset). Default <see cref="Llama4ContextOverflowPolicy.Reject"/>.
    /// </summary>
    public Llama4ContextOverflowPolicy ContextOverflow { get; set; } = Llama4ContextOverflowPolicy.Reject;
}
