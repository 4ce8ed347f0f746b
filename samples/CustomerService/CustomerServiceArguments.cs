using System.Globalization;

namespace CustomerService;

/// <summary>Command-line arguments of the customer-service sample.</summary>
internal sealed record CustomerServiceArguments(
    string? ModelPath,
    string DataDirectory,
    string? ScriptPath,
    bool Resume,
    int? MaxOutputTokens,
    int ContextSize,
    bool Verbose)
{
    public const string Usage =
        "Usage: CustomerService [--model PATH] [--data DIR] [--script FILE] [--new] [--max-tokens N] [--context N] [--verbose]\n" +
        "  --model PATH    a Llama 4 GGUF; without it the generated demo model (random weights, gibberish text)\n" +
        "  --data DIR      where the database and the saved conversation live (default: Llama4.CustomerService in the local application data folder)\n" +
        "  --script FILE   run a conversation script instead of reading the keyboard (see README.md)\n" +
        "  --new           start a new conversation instead of resuming the saved one\n" +
        "  --max-tokens N  output tokens per model call (default 512; 96 with the demo model, whose text is gibberish)\n" +
        "  --context N     context size in tokens (default 8192)";

    /// <summary>The data folder without --data: outside the repository, in the user's local application data.</summary>
    public static string DefaultDataDirectory { get; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "Llama4.CustomerService");

    public static CustomerServiceArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? model = null;
        string? script = null;
        var data = DefaultDataDirectory;
        var resume = true;
        int? maxTokens = null;
        var context = 8192;
        var verbose = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--model":
                    model = Value(args, ref i);
                    break;
                case "--data":
                    data = Value(args, ref i);
                    break;
                case "--script":
                    script = Value(args, ref i);
                    break;
                case "--new":
                    resume = false;
                    break;
                case "--resume":
                    resume = true;
                    break;
                case "--max-tokens":
                    maxTokens = PositiveNumber(args, ref i);
                    break;
                case "--context":
                    context = PositiveNumber(args, ref i);
                    break;
                case "--verbose":
                    verbose = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.\n{Usage}", nameof(args));
            }
        }

        return new CustomerServiceArguments(model, data, script, resume, maxTokens, context, verbose);
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}", nameof(args));

    private static int PositiveNumber(IReadOnlyList<string> args, ref int i)
    {
        var name = args[i];
        var text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} needs a positive whole number, not '{text}'.", nameof(args));
    }
}
