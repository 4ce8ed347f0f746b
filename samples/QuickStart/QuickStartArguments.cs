using System.Globalization;

/// <summary>Command-line arguments of the QuickStart sample.</summary>
internal sealed record QuickStartArguments(string? ModelPath, string Prompt, int MaxOutputTokens, int ContextSize, bool SingleTurn, bool Verbose)
{
    public const string Usage =
        "Usage: QuickStart [--model PATH] [--prompt TEXT] [--max-tokens N] [--context N] [--single-turn] [--verbose]";

    public static QuickStartArguments? Parse(string[] args)
    {
        string? model = null;
        var prompt = "Hello! What can you do?";
        var maxTokens = 64;
        var context = 8192;
        var singleTurn = false;
        var verbose = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model" when i + 1 < args.Length:
                    model = args[++i];
                    break;
                case "--prompt" when i + 1 < args.Length:
                    prompt = args[++i];
                    break;
                case "--max-tokens" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                    maxTokens = n;
                    i++;
                    break;
                case "--context" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var c):
                    context = c;
                    i++;
                    break;
                case "--single-turn":
                    singleTurn = true;
                    break;
                case "--verbose":
                    verbose = true;
                    break;
                default:
                    return null;
            }
        }

        return new QuickStartArguments(model, prompt, maxTokens, context, singleTurn, verbose);
    }
}
