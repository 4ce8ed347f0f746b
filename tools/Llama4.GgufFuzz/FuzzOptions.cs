using System.Globalization;

namespace Llama4.GgufFuzz;

/// <summary>The command line of a fuzzing run.</summary>
public sealed record FuzzOptions
{
    /// <summary>The usage text.</summary>
    public const string Usage =
        "Usage: Llama4.GgufFuzz [--files N] [--seed S] [--first I] [--timeout-seconds T] [--workers W] [--keep DIR] [--report FILE]\n" +
        "       Llama4.GgufFuzz --one MODEL.gguf   (load one file; exit 0 clean, 10 typed refusal, 20 other managed exception)\n" +
        "  --files            corrupted files to generate and load (default 300)\n" +
        "  --seed             the run's seed; a case depends only on the seed and its index (default 1)\n" +
        "  --first            the index of the first case (default 0): --first 108 --files 1 rebuilds case 108 alone\n" +
        "  --timeout-seconds  how long one file may take before it counts as a hang (default 60)\n" +
        "  --workers          child processes running at once (default 1)\n" +
        "  --keep             copy every file that crashed, hung or threw an untyped exception into DIR\n" +
        "  --report           also write the summary (Markdown) to FILE";

    /// <summary>Gets the number of files.</summary>
    public int Files { get; init; } = 300;

    /// <summary>Gets the run's seed.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Gets the index of the first case.</summary>
    public int First { get; init; }

    /// <summary>Gets the per-file time limit.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the number of child processes at once.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Gets the folder that receives the failing files, if any.</summary>
    public string? KeepDirectory { get; init; }

    /// <summary>Gets the file that receives the Markdown summary, if any.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Parses the driver's arguments.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An argument is unknown or its value is invalid.</exception>
    public static FuzzOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new FuzzOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.", nameof(args));
            options = args[i] switch
            {
                "--files" => options with { Files = Positive(args[i], value) },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--first" => options with { First = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int first) && first >= 0 ? first : throw new ArgumentException($"--first must be a non-negative integer, not '{value}'.", nameof(args)) },
                "--timeout-seconds" => options with { Timeout = TimeSpan.FromSeconds(Positive(args[i], value)) },
                "--workers" => options with { Workers = Positive(args[i], value) },
                "--keep" => options with { KeepDirectory = Path.GetFullPath(value) },
                "--report" => options with { ReportPath = Path.GetFullPath(value) },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'.", nameof(args)),
            };
            i++;
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a positive integer, not '{value}'.", nameof(value));
}
