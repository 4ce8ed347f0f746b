namespace Llama4.Core;

/// <summary>The syntax the model is asked to use for tool calls.</summary>
public enum Llama4ToolCallStyle
{
    /// <summary><c>{"name": ..., "parameters": {...}}</c>, as Meta's Hugging Face chat template asks.</summary>
    Json,

    /// <summary><c>[get_weather(city="SF"), f(x=1)]</c>, the pythonic style Meta documents for Llama 4, with its own system prompt.</summary>
    Pythonic,
}
