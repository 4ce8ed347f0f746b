using Llama4.Core;

namespace Llama4.Benchmarks.Measurement;

/// <summary>What the context suite measured at one history size.</summary>
/// <param name="TargetTokens">The size asked for (the history has at least this many tokens).</param>
/// <param name="HistoryTokens">The history's tokens as Llama4ChatClient formats it.</param>
/// <param name="UserTurns">User messages in the history.</param>
/// <param name="Characters">Characters of the history's message texts.</param>
/// <param name="Cold">The cached engine's first request (turn 0): nothing cached yet, so the whole prompt was decoded.</param>
/// <param name="Cases">The rounds of every contender (turns 1, 2, ...).</param>
/// <param name="ReuseStatistics">The cached engine's counters after the last round.</param>
/// <param name="LLamaSharpContextSize">The context AsChatClient allocated per call, or null when it did not run at this size.</param>
/// <param name="WarmupRounds">Warm-up rounds run (discarded).</param>
/// <param name="Elapsed">Wall time of the size, engine loads included.</param>
internal sealed record HistoryMeasurement(
    int TargetTokens,
    int HistoryTokens,
    int UserTurns,
    int Characters,
    RequestResult Cold,
    IReadOnlyList<CaseMeasurement> Cases,
    Llama4EngineStatistics ReuseStatistics,
    int? LLamaSharpContextSize,
    int WarmupRounds,
    TimeSpan Elapsed)
{
    public CaseMeasurement? Case(string subject) => Cases.FirstOrDefault(c => c.Case.Subject.Name == subject);

    /// <summary>The median time to first token of a contender in milliseconds, or null when it did not run.</summary>
    public double? TtftMs(string subject) => Case(subject) is { } c ? c.TimeToFirstTokenMs.Median : null;
}
