using Llama4.Benchmarks.Cli;
using Llama4.Core;

namespace Llama4.Benchmarks.Workload;

/// <summary>
/// How much work the context suite gets: the history sizes, the rounds at each, which baselines run in rounds, and the
/// size of the long prefill. Full re-processing costs grow about quadratically with the history on the CPU (the global
/// attention layers), so rounds shrink as histories grow, and the slowest baselines run in rounds only up to
/// <see cref="RoundsBaselineLimit"/> tokens (beyond it the cached engine's first request, which does the same work, is
/// their one measurement).
/// </summary>
internal sealed record ContextProfile(
    IReadOnlyList<HistorySize> Sizes,
    int RoundsBaselineLimit,
    int PrefillTokens,
    int ContextSize,
    TimeSpan BudgetPerSize)
{
    /// <summary>The sizes (about 1k, 8k, 32k and 100k tokens) and a prefill past 120k tokens in a 128k context.</summary>
    public static ContextProfile For(BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profile = options.Quick
            ? new ContextProfile([new(1_000, 1, 2), new(4_000, 1, 2)], 1_000, 16_000, Llama4EngineOptions.DefaultContextSize, TimeSpan.FromSeconds(60))
            : new ContextProfile(
                [new(1_000, 2, 10), new(8_000, 1, 5), new(32_000, 0, 3), new(100_000, 0, 2)],
                32_000,
                122_000,
                Llama4EngineOptions.DefaultContextSize,
                TimeSpan.FromSeconds(900));
        return profile with
        {
            Sizes = [.. profile.Sizes.Select(s => s with
            {
                WarmupRounds = options.WarmupRounds ?? s.WarmupRounds,
                Rounds = options.Rounds ?? s.Rounds,
            })],
            BudgetPerSize = options.ScenarioBudget ?? profile.BudgetPerSize,
        };
    }

    /// <summary>The follow-up questions each size needs: the cold turn, the warm-up rounds and the measured rounds.</summary>
    public static int QuestionsFor(HistorySize size)
    {
        ArgumentNullException.ThrowIfNull(size);
        return 1 + size.WarmupRounds + size.Rounds;
    }
}
