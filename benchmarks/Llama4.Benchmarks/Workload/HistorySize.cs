namespace Llama4.Benchmarks.Workload;

/// <summary>One history size of the context suite and its rounds.</summary>
/// <param name="HistoryTokens">The least tokens of the conversation before the new question.</param>
/// <param name="WarmupRounds">Rounds of every contender discarded before the measured ones (the cached engine's first, cold request comes before them and is reported on its own).</param>
/// <param name="Rounds">Measured rounds; fewer when the time budget runs out, never fewer than two.</param>
internal sealed record HistorySize(int HistoryTokens, int WarmupRounds, int Rounds);
