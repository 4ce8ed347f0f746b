using System.Globalization;
using System.Text.Json;
using Llama4.Moderation;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace CustomerService.Console;

/// <summary>Renders a streamed agent reply: text as it arrives, panels for tool calls, results and approvals.</summary>
internal sealed class TurnRenderer(IAnsiConsole console)
{
    private bool _midText;

    public void Render(AgentResponseUpdate update)
    {
        if (ModerationProperties.IsRetraction(update.AdditionalProperties))
        {
            EndText();
            console.MarkupLine("[red]Moderation withdrew the reply above; the customer sees only:[/]");
        }

        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent text when text.Text.Length > 0:
                    if (!_midText)
                    {
                        console.Markup("[bold blue]Assistant:[/] ");
                        _midText = true;
                    }

                    console.Write(new Text(text.Text));
                    break;
                case ToolApprovalRequestContent approval:
                    EndText();
                    console.Write(new Panel(new Text(Describe(approval.ToolCall)))
                        .Header("[yellow]Approval needed[/]")
                        .BorderColor(Color.Yellow));
                    break;
                case FunctionCallContent call:
                    EndText();
                    console.Write(new Panel(new Text(Describe(call)))
                        .Header("[aqua]Tool call[/]")
                        .BorderColor(Color.Aqua));
                    break;
                case FunctionResultContent result:
                    EndText();
                    console.Write(new Panel(new Text(result.Exception is null ? Stringify(result.Result) : $"refused: {result.Exception.Message}"))
                        .Header("[green]Tool result[/]")
                        .BorderColor(Color.Green));
                    break;
            }
        }

        var categories = ModerationProperties.GetCategories(update.AdditionalProperties);
        if (categories.Count > 0)
        {
            EndText();
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]Moderation: {string.Join(", ", categories)}[/]");
        }
    }

    public void RenderUsage(UsageDetails? usage, int round)
    {
        EndText();
        var grid = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey)
            .AddColumn("model call").AddColumn("input tokens").AddColumn("cached input").AddColumn("output tokens");
        grid.AddRow(
            round.ToString(CultureInfo.InvariantCulture),
            Format(usage?.InputTokenCount),
            Format(usage?.CachedInputTokenCount),
            Format(usage?.OutputTokenCount));
        console.Write(grid);
    }

    public void EndText()
    {
        if (_midText)
        {
            console.WriteLine();
            _midText = false;
        }
    }

    private static string Format(long? count) => count?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string Describe(AIContent? content) => content is FunctionCallContent call
        ? $"{call.Name}({JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>())})"
        : content?.ToString() ?? "(no call)";

    private static string Stringify(object? result) => result switch
    {
        null => "(nothing)",
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? string.Empty,
        _ => result.ToString() ?? string.Empty,
    };
}
