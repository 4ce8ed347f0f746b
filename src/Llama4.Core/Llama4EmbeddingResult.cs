namespace Llama4.Core;

/// <summary>The embeddings of a batch of texts, in input order, and the tokens they took.</summary>
/// <param name="Vectors">One L2-normalised vector of <see cref="Llama4Engine.EmbeddingDimensions"/> floats per input, in input order.</param>
/// <param name="InputTokens">Tokens decoded for all inputs together (BOS included where the model adds one).</param>
public sealed record Llama4EmbeddingResult(IReadOnlyList<ReadOnlyMemory<float>> Vectors, int InputTokens);
