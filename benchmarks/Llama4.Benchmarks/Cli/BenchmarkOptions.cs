using System.Globalization;

namespace Llama4.Benchmarks.Cli;

/// <summary>The runner's command line: which models, how long, where the report goes.</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project benchmarks/Llama4.Benchmarks -- [options]
          --suite <names>            Which suites run (default all): throughput (scenarios 1-3), constrained
                                     (structured output and a required tool call), converter (JSON Schema to
                                     GBNF, no model), context (long conversations in a 128k context: KV-cache
                                     reuse against full re-processing, a 120k-token prefill and its memory; tiny
                                     model only, about 40 minutes on 2 cores), load (open-loop arrivals at
                                     1x, 2x and 4x capacity with and without admission control; tiny model
                                     only, about 5 minutes), sampling (sampling at Llama 4's real
                                     202,048-token vocabulary, on the realvocab model; about 15 minutes),
                                     or all; several separated by commas. A report written into an existing file replaces only the sections
                                     of the suites that ran.
          --model <name>             Generated model(s) to measure: tiny, larger, realvocab (tiny layers
                                     with the real Llama 4 vocabulary), both (tiny and larger) or all
                                     (default tiny).
          --quick                    Smoke run: fewer tokens and rounds; the report is written only with --output.
          --output <path>            Markdown report (default docs/performance.md for full runs).
          --threads <n>              llama.cpp threads for every contender (default: LLamaSharp's, half the logical cores).
          --context <n>              Context size of the engine and the raw loops (default 8192; the context
                                     suite always uses 131072).
          --max-tokens <n>           Output tokens per request (default 128 tiny, 64 larger, 32 quick).
          --rounds <n>               Measured rounds per scenario (default 15 tiny, 3 larger, 2 quick; context
                                     suite: 10, 5, 3 and 2 as histories grow).
          --warmup <n>               Warm-up rounds per scenario (default 2 tiny; larger: 1 single-stream, 0 per
                                     concurrency level; context suite: 2, 1, 0 and 0 as histories grow).
          --budget <seconds>         Time budget per scenario; rounds stop early once spent, after at least 2
                                     (default 240; context suite: 900 per history size).
        """;

    public BenchmarkSuites Suites { get; init; } = BenchmarkSuites.All;

    public IReadOnlyList<BenchmarkModel> Models { get; init; } = [BenchmarkModel.Tiny];

    public bool Quick { get; init; }

    public string? OutputPath { get; init; }

    public int? Threads { get; init; }

    public int ContextSize { get; init; } = 8192;

    public int? MaxOutputTokens { get; init; }

    public int? Rounds { get; init; }

    public int? WarmupRounds { get; init; }

    /// <summary>The time budget per scenario of the throughput and constrained suites when <c>--budget</c> is not given.</summary>
    public static TimeSpan DefaultScenarioBudget { get; } = TimeSpan.FromSeconds(240);

    /// <summary>Gets <c>--budget</c>, or null when each suite uses its own default.</summary>
    public TimeSpan? ScenarioBudget { get; init; }

    /// <summary>Parses the command line.</summary>
    /// <exception cref="ArgumentException">An argument is unknown or malformed; the message says which.</exception>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            options = arg switch
            {
                "--suite" => options with { Suites = ParseSuites(Value(args, ref i, arg)) },
                "--model" => options with { Models = ParseModels(Value(args, ref i, arg)) },
                "--quick" => options with { Quick = true },
                "--output" => options with { OutputPath = Value(args, ref i, arg) },
                "--threads" => options with { Threads = Positive(args, ref i, arg) },
                "--context" => options with { ContextSize = Positive(args, ref i, arg) },
                "--max-tokens" => options with { MaxOutputTokens = Positive(args, ref i, arg) },
                "--rounds" => options with { Rounds = Positive(args, ref i, arg) },
                "--warmup" => options with { WarmupRounds = NonNegative(args, ref i, arg) },
                "--budget" => options with { ScenarioBudget = TimeSpan.FromSeconds(Positive(args, ref i, arg)) },
                _ => throw new ArgumentException($"Unknown argument '{arg}'."),
            };
        }

        return options;
    }

    /// <summary>True when <paramref name="suite"/> is among the selected suites.</summary>
    public bool Runs(BenchmarkSuites suite) => (Suites & suite) == suite;

    private static BenchmarkSuites ParseSuites(string value)
    {
        var suites = BenchmarkSuites.None;
        foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            suites |= name.ToUpperInvariant() switch
            {
                "THROUGHPUT" => BenchmarkSuites.Throughput,
                "CONSTRAINED" => BenchmarkSuites.Constrained,
                "CONVERTER" => BenchmarkSuites.Converter,
                "CONTEXT" => BenchmarkSuites.Context,
                "LOAD" => BenchmarkSuites.Load,
                "SAMPLING" => BenchmarkSuites.Sampling,
                "ALL" => BenchmarkSuites.All,
                _ => throw new ArgumentException($"--suite has '{name}'; use throughput, constrained, converter, context, load, sampling or all (several separated by commas)."),
            };
        }

        return suites != BenchmarkSuites.None ? suites : throw new ArgumentException("--suite needs at least one suite name.");
    }

    private static IReadOnlyList<BenchmarkModel> ParseModels(string value) => value.ToUpperInvariant() switch
    {
        "TINY" => [BenchmarkModel.Tiny],
        "LARGER" => [BenchmarkModel.Larger],
        "REALVOCAB" => [BenchmarkModel.RealVocabulary],
        "BOTH" => [BenchmarkModel.Tiny, BenchmarkModel.Larger],
        "ALL" => [BenchmarkModel.Tiny, BenchmarkModel.Larger, BenchmarkModel.RealVocabulary],
        _ => throw new ArgumentException($"--model is '{value}'; use tiny, larger, realvocab, both or all."),
    };

    private static string Value(IReadOnlyList<string> args, ref int i, string name)
    {
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"{name} needs a value.");
        }

        return args[++i];
    }

    private static int Positive(IReadOnlyList<string> args, ref int i, string name)
    {
        var value = NonNegative(args, ref i, name);
        return value > 0 ? value : throw new ArgumentException($"{name} must be positive.");
    }

    private static int NonNegative(IReadOnlyList<string> args, ref int i, string name)
    {
        var text = Value(args, ref i, name);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name} is '{text}'; expected a whole number.");
    }
}
