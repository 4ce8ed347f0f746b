namespace Llama4.Core.Inference;

/// <summary>The cache's decision for one request.</summary>
/// <param name="Kind">Fresh, take over or fork.</param>
/// <param name="Sequence">The sequence taken over, or the fork's source; null for a fresh sequence.</param>
/// <param name="MatchedTokens">Prompt tokens that matched the sequence's decoded tokens.</param>
/// <param name="ReusedTokens">Prompt tokens whose cells are reused: <paramref name="MatchedTokens"/>, or less where chunked attention's cache no longer holds what the rest would need.</param>
internal readonly record struct KvPlacement(KvPlacementKind Kind, KvSequence? Sequence, int MatchedTokens, int ReusedTokens);
