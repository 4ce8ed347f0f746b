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

    /// <summary>Gets text sequences that end the generation when produced; the matched sequence is not returned.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];
}
