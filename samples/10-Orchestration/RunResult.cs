/// <summary>One run of the workflow over all tickets.</summary>
/// <param name="ReuseKvCache">Whether the engine reused KV cells across requests.</param>
/// <param name="Tickets">The outcome of each ticket.</param>
/// <param name="Turns">Every model call, in completion order.</param>
/// <param name="Elapsed">Wall time from the first request (the priming included) to the last reply.</param>
/// <param name="ProcessorTime">CPU time the process used meanwhile, all threads (steadier than wall time on a busy machine).</param>
/// <param name="PromptTokensDecoded">Prompt tokens the engine decoded.</param>
/// <param name="PromptTokensReused">Prompt tokens the engine found in its KV cache.</param>
/// <param name="TokensGenerated">Tokens the engine generated.</param>
/// <param name="MaxSequencesInOneDecode">The most sequences one decode call advanced together.</param>
internal sealed record RunResult(
    bool ReuseKvCache,
    IReadOnlyList<TicketResult> Tickets,
    IReadOnlyList<AgentTurn> Turns,
    TimeSpan Elapsed,
    TimeSpan ProcessorTime,
    long PromptTokensDecoded,
    long PromptTokensReused,
    long TokensGenerated,
    int MaxSequencesInOneDecode)
{
    /// <summary>Gets the median time to first token over all agent turns, in milliseconds.</summary>
    public double MedianFirstTokenMilliseconds => Median(Turns.Select(t => (double)t.FirstTokenMilliseconds));

    /// <summary>Gets the median of some values (0 for none).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
