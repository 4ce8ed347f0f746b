using System.Globalization;
using Llama4.Extensions.AI;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Llama4.Samples;

/// <summary>The console output the numbered samples share: a titled step, a reply, and a reply's token usage.</summary>
public static class SampleConsole
{
    /// <summary>Writes a rule that names the next step of the sample.</summary>
    /// <param name="title">The step, as plain text.</param>
    public static void Step(string title) => AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());

    /// <summary>Writes one line of text as it is (model output may contain anything, markup included).</summary>
    /// <param name="label">Who says it, such as "assistant".</param>
    /// <param name="text">The text.</param>
    public static void Say(string label, string text)
    {
        AnsiConsole.Markup($"[bold blue]{Markup.Escape(label)}:[/] ");
        AnsiConsole.Write(new Text(text));
        AnsiConsole.WriteLine();
    }

    /// <summary>Writes a reply's token usage: prompt tokens (and how many came from the KV cache), output tokens, time to first token.</summary>
    /// <param name="usage">The reply's usage, or null.</param>
    public static void Usage(UsageDetails? usage)
    {
        if (usage is null)
        {
            AnsiConsole.MarkupLine("[grey](no usage reported)[/]");
            return;
        }

        var firstToken = usage.AdditionalCounts?.TryGetValue(Llama4UsageCounts.TimeToFirstTokenMilliseconds, out var ms) == true
            ? string.Create(CultureInfo.InvariantCulture, $"; first token after {ms} ms")
            : string.Empty;
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"[grey]tokens: prompt {usage.InputTokenCount} ({usage.CachedInputTokenCount ?? 0} from the KV cache), output {usage.OutputTokenCount}{firstToken}[/]");
    }
}
