namespace Llama4.Core;

/// <summary>Whether the model may or must call tools.</summary>
public enum Llama4ToolMode
{
    /// <summary>The model decides: text, or calls. Once it starts a call, the rest of the call is constrained to the tools' schemas.</summary>
    Auto,

    /// <summary>The reply is one or more calls of offered tools, constrained from the first token.</summary>
    Required,
}
