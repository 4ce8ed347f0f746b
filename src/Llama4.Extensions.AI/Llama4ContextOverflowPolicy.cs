namespace Llama4.Extensions.AI;

/// <summary>What <see cref="Llama4ChatClient"/> does when a request's prompt plus its reserved output does not fit a sequence's context.</summary>
public enum Llama4ContextOverflowPolicy
{
    /// <summary>Fail with <c>Llama4ContextOverflowException</c>, which carries the token counts. Nothing is decoded.</summary>
    Reject = 0,

    /// <summary>
    /// Drop the oldest messages until the prompt fits, as <see cref="Llama4TruncatingChatReducer"/> does (system and
    /// pinned messages and whole tool-call/result groups are kept; eviction goes down to half of the room, so the kept
    /// prefix, and with it the KV cache, stays the same for many turns). When even the messages that must stay do not
    /// fit, the request fails with <c>Llama4ContextOverflowException</c>.
    /// </summary>
    TruncateHistory = 1,
}
