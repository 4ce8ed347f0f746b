using Llama4.Benchmarks.Cli;
using Llama4.TinyModel;

namespace Llama4.Benchmarks.Workload;

/// <summary>
/// How much work one model gets: output length, rounds and concurrency levels, sized so a run stays bounded. The larger
/// model runs no warm-up round at the concurrency levels: the single-stream scenario has already warmed the code and the
/// mapped weights, and one burst there lasts many seconds.
/// </summary>
internal sealed record ModelProfile(
    BenchmarkModel Model,
    string Label,
    TinyModelOptions ModelOptions,
    int MaxOutputTokens,
    int WarmupRounds,
    int ConcurrencyWarmupRounds,
    int Rounds,
    IReadOnlyList<int> ConcurrencyLevels)
{
    public static ModelProfile For(BenchmarkModel model, BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profile = model switch
        {
            BenchmarkModel.Tiny => new ModelProfile(model, "tiny (TinyModelOptions.Default)", TinyModelOptions.Default, 128, 2, 2, 15, [1, 4, 16]),
            BenchmarkModel.Larger => new ModelProfile(model, "larger (TinyModelOptions.Larger)", TinyModelOptions.Larger, 64, 1, 0, 3, [1, 4, 16]),
            BenchmarkModel.RealVocabulary => new ModelProfile(model, "realvocab (TinyModelOptions.RealVocabulary)", TinyModelOptions.RealVocabulary, 64, 1, 1, 5, [1, 8, 16]),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Unknown model."),
        };

        if (options.Quick)
        {
            profile = profile with { MaxOutputTokens = 32, WarmupRounds = 1, ConcurrencyWarmupRounds = Math.Min(1, profile.ConcurrencyWarmupRounds), Rounds = 2 };
        }

        return profile with
        {
            MaxOutputTokens = options.MaxOutputTokens ?? profile.MaxOutputTokens,
            WarmupRounds = options.WarmupRounds ?? profile.WarmupRounds,
            ConcurrencyWarmupRounds = options.WarmupRounds ?? profile.ConcurrencyWarmupRounds,
            Rounds = options.Rounds ?? profile.Rounds,
        };
    }
}
