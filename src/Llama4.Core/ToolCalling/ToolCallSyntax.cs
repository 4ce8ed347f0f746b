namespace Llama4.Core.ToolCalling;

/// <summary>The output style in which the model wrote a tool call.</summary>
internal enum ToolCallSyntax
{
    /// <summary>A JSON object <c>{"name": ..., "parameters": {...}}</c> (or <c>"arguments"</c>), alone or in a list.</summary>
    Json,

    /// <summary>Meta's pythonic list <c>[get_weather(city="SF"), f(x=1)]</c>.</summary>
    Pythonic,

    /// <summary>A function tag <c>&lt;function=name&gt;{...}&lt;/function&gt;</c>.</summary>
    FunctionTag,
}
