using System.Globalization;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace CustomerService.Conversation;

/// <summary>
/// Turns and decisions from a parsed script. An approval request is answered by the next line when it is
/// <c>approve</c> or <c>deny</c>; when the script has no decision there, the call is denied (the safe default). A
/// decision line where no approval is pending is reported and skipped.
/// </summary>
internal sealed class ScriptInput(IReadOnlyList<ScriptCommand> commands, IAnsiConsole console) : IConversationInput
{
    private int _next;

    public ValueTask<ScriptCommand?> NextAsync(CancellationToken cancellationToken)
    {
        while (_next < commands.Count)
        {
            var command = commands[_next++];
            if (command.Kind is ScriptCommandKind.Approve or ScriptCommandKind.Deny)
            {
                console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]Script line {command.LineNumber}: '{command.Kind.ToString().ToUpperInvariant()}' but no approval is pending; skipped.[/]");
                continue;
            }

            return ValueTask.FromResult<ScriptCommand?>(command);
        }

        return ValueTask.FromResult<ScriptCommand?>(null);
    }

    public bool Approve(ToolApprovalRequestContent request)
    {
        if (_next < commands.Count && commands[_next].Kind is ScriptCommandKind.Approve or ScriptCommandKind.Deny)
        {
            var decision = commands[_next++];
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]script line {decision.LineNumber}:[/] [bold]{decision.Kind.ToString().ToUpperInvariant()}[/]");
            return decision.Kind == ScriptCommandKind.Approve;
        }

        console.MarkupLine("[yellow]The script has no 'approve' or 'deny' here: the call is denied.[/]");
        return false;
    }
}
