namespace Llama4.Core;

/// <summary>What a saved or restored session holds.</summary>
/// <param name="ConversationId">The conversation id the cached sequence answers to, or null.</param>
/// <param name="TokenCount">The tokens whose KV state the session holds (prompt and reply tokens of the conversation so far).</param>
/// <param name="StateBytes">The size of llama.cpp's saved state for the sequence, in bytes.</param>
public sealed record Llama4SessionInfo(string? ConversationId, int TokenCount, long StateBytes);
