namespace CodingAgent.ConsoleUi;

/// <summary>Memory statistics after one turn.</summary>
/// <param name="ContextTokens">Tokens of the conversation the next request sends (reduced history, instructions and tools).</param>
/// <param name="StoredHistoryTokens">Tokens of the whole stored history (before the reducer), with instructions and tools.</param>
/// <param name="HistoryTokenBudget">The reducer's budget for the history.</param>
/// <param name="ContextSize">The engine's context size.</param>
/// <param name="PromptTokens">Prompt tokens of this turn's model calls, summed.</param>
/// <param name="CachedPromptTokens">Of those, the tokens reused from the KV cache instead of decoded.</param>
/// <param name="OutputTokens">Tokens the model generated this turn.</param>
/// <param name="ModelCalls">How many model calls the turn made.</param>
/// <param name="KvCellsInUse">KV cells in use after the turn (<c>Llama4Engine.GetStatistics()</c>).</param>
internal sealed record TurnStatistics(
    int ContextTokens,
    int StoredHistoryTokens,
    int HistoryTokenBudget,
    int ContextSize,
    long PromptTokens,
    long CachedPromptTokens,
    long OutputTokens,
    int ModelCalls,
    int KvCellsInUse);
