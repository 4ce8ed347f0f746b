using System.Globalization;

namespace Llama4.Samples;

/// <summary>
/// The command line of a numbered sample: <c>--model PATH</c>, <c>--projector PATH</c>, <c>--max-tokens N</c>,
/// <c>--context N</c>, plus the options and flags the sample declares for itself.
/// </summary>
public sealed class SampleArguments
{
    /// <summary>Output tokens per reply unless <c>--max-tokens</c> says otherwise.</summary>
    public const int DefaultMaxOutputTokens = 256;

    /// <summary>The engine's context size unless <c>--context</c> says otherwise.</summary>
    public const int DefaultContextSize = 8192;

    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _flags;

    private SampleArguments(string? modelPath, string? projectorPath, int maxOutputTokens, int contextSize, Dictionary<string, string> values, HashSet<string> flags)
    {
        ModelPath = modelPath;
        ProjectorPath = projectorPath;
        MaxOutputTokens = maxOutputTokens;
        ContextSize = contextSize;
        _values = values;
        _flags = flags;
    }

    /// <summary>Gets the GGUF given with <c>--model</c>, or null: the sample then runs on the generated demo model.</summary>
    public string? ModelPath { get; }

    /// <summary>Gets the vision projector given with <c>--projector</c>, or null.</summary>
    public string? ProjectorPath { get; }

    /// <summary>Gets the output token limit of each reply.</summary>
    public int MaxOutputTokens { get; }

    /// <summary>Gets the engine's context size in tokens.</summary>
    public int ContextSize { get; }

    /// <summary>Gets whether the sample runs on the demo model (no <c>--model</c>), whose weights are random.</summary>
    public bool IsDemo => ModelPath is null;

    /// <summary>
    /// Parses the command line; on a mistake prints the usage to standard error and returns null (exit with code 2).
    /// </summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="sampleName">The sample's name, for the usage line.</param>
    /// <param name="valueOptions">The sample's own options that take a value, such as <c>--image</c>.</param>
    /// <param name="flags">The sample's own options without a value, such as <c>--compare</c>.</param>
    /// <param name="defaultContextSize">The context size without <c>--context</c>.</param>
    public static SampleArguments? Parse(
        string[] args, string sampleName, IReadOnlyList<string>? valueOptions = null, IReadOnlyList<string>? flags = null, int defaultContextSize = DefaultContextSize)
    {
        ArgumentNullException.ThrowIfNull(args);
        valueOptions ??= [];
        flags ??= [];
        string? model = null, projector = null;
        int maxTokens = DefaultMaxOutputTokens, context = defaultContextSize;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var setFlags = new HashSet<string>(StringComparer.Ordinal);
        string? error = null;
        for (var i = 0; i < args.Length && error is null; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (flags.Contains(name))
            {
                setFlags.Add(name);
                continue;
            }

            if (value is null || !(name is "--model" or "--projector" or "--max-tokens" or "--context" || valueOptions.Contains(name)))
            {
                error = value is null && name.StartsWith("--", StringComparison.Ordinal) ? $"{name} needs a value." : $"Unknown argument '{name}'.";
                continue;
            }

            i++;
            switch (name)
            {
                case "--model":
                    model = value;
                    break;
                case "--projector":
                    projector = value;
                    break;
                case "--max-tokens" or "--context":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
                    {
                        error = $"{name} needs a positive whole number, not '{value}'.";
                    }
                    else if (name == "--max-tokens")
                    {
                        maxTokens = number;
                    }
                    else
                    {
                        context = number;
                    }

                    break;
                default:
                    values[name] = value;
                    break;
            }
        }

        if (error is null)
        {
            return new SampleArguments(model, projector, maxTokens, context, values, setFlags);
        }

        var own = string.Concat(valueOptions.Select(o => $" [{o} VALUE]").Concat(flags.Select(f => $" [{f}]")));
        Console.Error.WriteLine(error);
        Console.Error.WriteLine($"Usage: {sampleName} [--model PATH] [--projector PATH] [--max-tokens N (default {DefaultMaxOutputTokens})] [--context N (default {defaultContextSize})]{own}");
        return null;
    }

    /// <summary>Gets the value of one of the sample's own options, or null when it was not given.</summary>
    /// <param name="name">The option, such as <c>--image</c>.</param>
    public string? GetValue(string name) => _values.GetValueOrDefault(name);

    /// <summary>Gets the value of one of the sample's own whole-number options, or <paramref name="defaultValue"/>.</summary>
    /// <param name="name">The option, such as <c>--runs</c>.</param>
    /// <param name="defaultValue">The value when the option was not given.</param>
    /// <exception cref="ArgumentException">The value is not a positive whole number.</exception>
    public int GetNumber(string name, int defaultValue) =>
        GetValue(name) is not { } text
            ? defaultValue
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
                ? number
                : throw new ArgumentException($"{name} needs a positive whole number, not '{text}'.", nameof(name));

    /// <summary>Gets whether one of the sample's own flags was given.</summary>
    /// <param name="name">The flag, such as <c>--compare</c>.</param>
    public bool HasFlag(string name) => _flags.Contains(name);
}
