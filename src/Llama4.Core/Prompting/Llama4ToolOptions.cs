namespace Llama4.Core;

/// <summary>
/// The tools a request offers: how the prompt presents them, and how generation treats calls. Format the prompt and
/// generate with the same instance.
/// </summary>
/// <param name="Tools">The tools, in the order they are listed.</param>
public sealed record Llama4ToolOptions(IReadOnlyList<Llama4ToolDefinition> Tools)
{
    /// <summary>Gets where the definitions go. Default <see cref="Llama4ToolPlacement.FirstUserMessage"/>.</summary>
    public Llama4ToolPlacement Placement { get; init; } = Llama4ToolPlacement.FirstUserMessage;

    /// <summary>Gets the call syntax the model is asked to use. Default <see cref="Llama4ToolCallStyle.Json"/>.</summary>
    public Llama4ToolCallStyle Style { get; init; } = Llama4ToolCallStyle.Json;

    /// <summary>
    /// Gets whether the model must call a tool. <see cref="Llama4ToolMode.Auto"/> (default) lets it answer in text or call;
    /// <see cref="Llama4ToolMode.Required"/> constrains the reply, from its first token, to calls of offered tools with
    /// arguments valid against their schemas.
    /// </summary>
    public Llama4ToolMode Mode { get; init; } = Llama4ToolMode.Auto;

    /// <summary>Gets the one tool that must be called when <see cref="Mode"/> is Required, or <see langword="null"/> for any offered tool.</summary>
    public string? RequiredToolName { get; init; }

    /// <summary>Gets whether a reply may contain several calls. Default <see langword="false"/>: one call per reply.</summary>
    public bool AllowMultipleCalls { get; init; }
}
