/// <summary>One model call of one agent, as the engine reported it in the reply's usage.</summary>
/// <param name="Agent">The agent that made the call.</param>
/// <param name="PromptTokens">The prompt's tokens.</param>
/// <param name="CachedTokens">The prompt tokens found in the KV cache (not decoded again).</param>
/// <param name="OutputTokens">The tokens generated.</param>
/// <param name="FirstTokenMilliseconds">From submission to the first generated token: queueing and prompt decoding.</param>
internal sealed record AgentTurn(string Agent, long PromptTokens, long CachedTokens, long OutputTokens, long FirstTokenMilliseconds);
