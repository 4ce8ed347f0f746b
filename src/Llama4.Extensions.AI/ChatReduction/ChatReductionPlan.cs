namespace Llama4.Extensions.AI.ChatReduction;

/// <summary>Where a reduction cuts a history, and the evictions that led there.</summary>
/// <param name="Cut">The index of the first group kept in full; earlier groups are kept only when mandatory.</param>
/// <param name="Steps">The cut after each eviction, oldest first (empty when nothing was evicted).</param>
/// <param name="Tokens">The reduced prompt's tokens (a summary counted at its reserved size).</param>
internal sealed record ChatReductionPlan(int Cut, IReadOnlyList<int> Steps, int Tokens);
