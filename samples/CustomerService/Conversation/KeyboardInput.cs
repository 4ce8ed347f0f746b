using System.Globalization;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace CustomerService.Conversation;

/// <summary>
/// Turns typed by the user. Commands: <c>/force TOOL TEXT</c> forces a tool for one turn, <c>/tools</c> lists the
/// tools, <c>/restart</c> restarts the agent from the data folder, <c>/quit</c> (or an empty line) ends.
/// </summary>
internal sealed class KeyboardInput(IAnsiConsole console, IReadOnlyList<string> toolNames) : IConversationInput
{
    public ValueTask<ScriptCommand?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = console.Prompt(new TextPrompt<string>("[green]You[/] [grey](/tools, /force TOOL TEXT, /restart, /quit)[/]:").AllowEmpty()).Trim();
            if (line.Length == 0 || line.Equals("/quit", StringComparison.OrdinalIgnoreCase))
            {
                return ValueTask.FromResult<ScriptCommand?>(null);
            }

            if (line.Equals("/tools", StringComparison.OrdinalIgnoreCase))
            {
                console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]Tools: {string.Join(", ", toolNames)}[/]");
                continue;
            }

            if (line.Equals("/restart", StringComparison.OrdinalIgnoreCase))
            {
                return ValueTask.FromResult<ScriptCommand?>(new ScriptCommand(ScriptCommandKind.Restart, 0));
            }

            if (line.StartsWith("/force ", StringComparison.OrdinalIgnoreCase))
            {
                var parts = line["/force ".Length..].Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 2 && toolNames.Contains(parts[0]))
                {
                    return ValueTask.FromResult<ScriptCommand?>(new ScriptCommand(ScriptCommandKind.User, 0, parts[1], parts[0]));
                }

                console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]Use /force TOOL TEXT with one of: {string.Join(", ", toolNames)}.[/]");
                continue;
            }

            return ValueTask.FromResult<ScriptCommand?>(new ScriptCommand(ScriptCommandKind.User, 0, line));
        }
    }

    public bool Approve(ToolApprovalRequestContent request) =>
        console.Confirm("[yellow]Approve this call?[/]", defaultValue: false);
}
