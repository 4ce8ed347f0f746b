using System.Globalization;

namespace CodingAgent;

/// <summary>Command-line arguments of the coding agent.</summary>
/// <param name="WorkspacePath">The workspace directory; <see langword="null"/> for a fresh copy of the bundled demo workspace.</param>
/// <param name="ModelPath">A Llama 4 GGUF; <see langword="null"/> for the generated demo model (random weights).</param>
/// <param name="ScriptPath">A script to run instead of the interactive console.</param>
/// <param name="ContextSize">The context size in tokens.</param>
/// <param name="MaxOutputTokens">The most tokens per model call; <see langword="null"/> for the mode's default.</param>
/// <param name="Seed">A sampling seed; <see langword="null"/> for a fresh one per request.</param>
/// <param name="CommandTimeLimit">How long <c>dotnet build</c> / <c>dotnet test</c> may run.</param>
/// <param name="ShowHelp">Whether to print the usage and exit.</param>
internal sealed record CodingAgentArguments(
    string? WorkspacePath,
    string? ModelPath,
    string? ScriptPath,
    int ContextSize,
    int? MaxOutputTokens,
    long? Seed,
    TimeSpan CommandTimeLimit,
    bool ShowHelp)
{
    /// <summary>The default context size: long enough to hold the files the agent reads.</summary>
    public const int DefaultContextSize = 32768;

    /// <summary>The usage text.</summary>
    public const string Usage =
        """
        Usage: CodingAgent [--workspace DIR] [--model PATH] [--script FILE] [--context N] [--max-output-tokens N]
                           [--seed N] [--command-timeout SECONDS] [--help]

          --workspace DIR          the folder the agent works in (default: a fresh copy of the bundled demo workspace)
          --model PATH             a Llama 4 GGUF (default: the generated tiny demo model, whose weights are RANDOM)
          --script FILE            run a script instead of the interactive console (see README.md for the line format)
          --context N              context size in tokens (default 32768, clamped to the model's training context)
          --max-output-tokens N    most tokens per model call (default 2048 with --model, 96 with the demo model)
          --seed N                 sampling seed, for repeatable runs
          --command-timeout S      time limit of dotnet build / dotnet test in seconds (default 120)
        """;

    /// <summary>Parses the arguments.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The arguments.</returns>
    /// <exception cref="ArgumentException">An argument is unknown, lacks its value or has an invalid value; the message says which.</exception>
    public static CodingAgentArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parsed = new CodingAgentArguments(null, null, null, DefaultContextSize, null, null, TimeSpan.FromSeconds(120), false);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                parsed = parsed with { ShowHelp = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"'{name}' is unknown or lacks its value.\n{Usage}", nameof(args));
            }

            var value = args[++i];
            parsed = name switch
            {
                "--workspace" => parsed with { WorkspacePath = value },
                "--model" => parsed with { ModelPath = value },
                "--script" => parsed with { ScriptPath = value },
                "--context" => parsed with { ContextSize = Positive(name, value) },
                "--max-output-tokens" => parsed with { MaxOutputTokens = Positive(name, value) },
                "--seed" => parsed with { Seed = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : throw Invalid(name, value, "an integer") },
                "--command-timeout" => parsed with { CommandTimeLimit = TimeSpan.FromSeconds(Positive(name, value)) },
                _ => throw new ArgumentException($"'{name}' is not an option.\n{Usage}", nameof(args)),
            };
        }

        return parsed;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw Invalid(name, value, "a positive integer");

    private static ArgumentException Invalid(string name, string value, string expected) =>
        new($"{name} needs {expected}, not '{value}'.");
}
