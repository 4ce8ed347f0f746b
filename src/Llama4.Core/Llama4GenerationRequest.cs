namespace Llama4.Core;

/// <summary>One generation: a formatted prompt, sampling settings and limits.</summary>
public sealed record Llama4GenerationRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="prompt">The formatted prompt.</param>
    public Llama4GenerationRequest(Llama4Prompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        Prompt = prompt;
    }

    /// <summary>Gets the formatted prompt.</summary>
    public Llama4Prompt Prompt { get; init; }

    /// <summary>Gets the sampling settings (unset values are the model's defaults).</summary>
    public Llama4SamplingOptions Sampling { get; init; } = new();

    /// <summary>
    /// Gets the maximum number of tokens to generate, or <see langword="null"/> to generate until the model ends its
    /// turn or the context is full. The tokens are reserved in the context when the request is admitted.
    /// </summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>
    /// Gets the tools the prompt offers, or <see langword="null"/> for none. When set, the output is parsed for tool
    /// calls in every style Llama 4 produces, calls are constrained to the tools' schemas as <see cref="Llama4ToolOptions.Mode"/>
    /// says, and calls come back in <see cref="Llama4GenerationUpdate.ToolCalls"/> instead of as text. Format the prompt
    /// with the same options.
    /// </summary>
    public Llama4ToolOptions? Tools { get; init; }

    /// <summary>
    /// Gets a request for a JSON reply (structured output), or <see langword="null"/> for free text. With tools offered in
    /// Auto mode, the reply is either such JSON or tool calls. Cannot be combined with <see cref="Grammar"/>.
    /// </summary>
    public Llama4JsonResponse? JsonResponse { get; init; }

    /// <summary>Gets a grammar that every generated token must follow, or <see langword="null"/> for free text.</summary>
    public Llama4Grammar? Grammar { get; init; }

    /// <summary>
    /// Gets the id of the conversation the request continues, or <see langword="null"/>. It is an affinity key for the
    /// KV cache: the engine prefers the cached sequence of the same conversation and keeps other conversations' cached
    /// sequences intact. The prompt must still hold the whole conversation; reuse is by common token prefix.
    /// </summary>
    public string? ConversationId { get; init; }

    /// <summary>Gets a value indicating whether the final update carries the logits of the first sampled step (for tests that compare runs).</summary>
    internal bool CaptureFirstLogits { get; init; }

    /// <summary>Gets text sequences that end the generation when produced; the matched sequence is not returned.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];
}
