using System.Globalization;
using System.Text;
using System.Text.Json;
using CodingAgent.Agent;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace CodingAgent.ConsoleUi;

/// <summary>
/// Runs one user turn of the agent and renders it: streamed text, a panel per tool call, tool result and approval
/// request, and the turn's memory statistics. Approval requests are answered by a callback (a prompt in the interactive
/// console, the script's answers otherwise) and sent back to the agent in the same session until none is pending.
/// </summary>
internal sealed class AgentTurnRunner
{
    /// <summary>The most approval rounds in one turn; the last one denies what is still asked and lets the model only answer.</summary>
    public const int MaxApprovalRounds = 4;

    private const int MaxShownResultCharacters = 1200;

    private readonly IAnsiConsole _console;
    private readonly CodingAgentRuntime _runtime;

    /// <summary>Creates the runner.</summary>
    /// <param name="console">Where the turn is rendered.</param>
    /// <param name="runtime">The agent.</param>
    public AgentTurnRunner(IAnsiConsole console, CodingAgentRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(runtime);
        _console = console;
        _runtime = runtime;
    }

    /// <summary>Runs one user turn.</summary>
    /// <param name="session">The conversation.</param>
    /// <param name="text">What the user says.</param>
    /// <param name="requiredTool">A tool the first model call must call (<see cref="ChatToolMode.RequireSpecific"/>), or <see langword="null"/>.</param>
    /// <param name="approve">Decides each approval request: <see langword="true"/> approves.</param>
    /// <param name="cancellationToken">Cancels the turn.</param>
    /// <returns>What the turn did.</returns>
    public async Task<TurnReport> RunAsync(
        AgentSession session,
        string text,
        string? requiredTool,
        Func<ToolApprovalRequestContent, bool> approve,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentNullException.ThrowIfNull(approve);

        _console.WriteLine();
        _console.MarkupLineInterpolated($"[bold blue]you>[/] {text}");
        if (requiredTool is not null)
        {
            _console.MarkupLineInterpolated(
                $"[yellow]This turn forces a call of [bold]{requiredTool}[/] (ChatToolMode.RequireSpecific): the library grammar-constrains the model's first reply to a schema-valid call; the model writes the arguments.[/]");
        }

        var assistantText = new StringBuilder();
        var calls = new List<FunctionCallContent>();
        var results = new List<FunctionResultContent>();
        var approvals = new List<(string, bool)>();
        var usage = new UsageDetails();
        var modelCalls = 0;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);

        IEnumerable<ChatMessage> input = [new ChatMessage(ChatRole.User, text)];
        ChatToolMode toolMode = requiredTool is null ? ChatToolMode.Auto : ChatToolMode.RequireSpecific(requiredTool);
        for (var round = 0; ; round++)
        {
            var runOptions = new ChatClientAgentRunOptions(new ChatOptions { ToolMode = toolMode });
            var requests = new List<ToolApprovalRequestContent>();
            var atLineStart = true;
            _console.Markup("[bold green]agent>[/] ");
            await foreach (var update in _runtime.Agent.RunStreamingAsync(input, session, runOptions, cancellationToken).ConfigureAwait(false))
            {
                foreach (var content in update.Contents)
                {
                    switch (content)
                    {
                        case TextContent { Text.Length: > 0 } textContent:
                            _console.Write(textContent.Text);
                            assistantText.Append(textContent.Text);
                            atLineStart = textContent.Text.EndsWith('\n');
                            break;
                        case FunctionCallContent call:
                            EndLine(ref atLineStart);
                            calls.Add(call);
                            names[call.CallId] = call.Name;
                            ShowPanel($"tool call: {call.Name}", FormatArguments(call.Arguments), Color.Yellow);
                            break;
                        case FunctionResultContent result:
                            EndLine(ref atLineStart);
                            results.Add(result);
                            ShowPanel($"tool result: {names.GetValueOrDefault(result.CallId, result.CallId)}", Shorten(FormatResult(result.Result)), Color.Grey);
                            break;
                        case ToolApprovalRequestContent request:
                            EndLine(ref atLineStart);
                            requests.Add(request);
                            break;
                        case UsageContent usageContent:
                            usage.Add(usageContent.Details);
                            modelCalls++;
                            break;
                    }
                }
            }

            EndLine(ref atLineStart);
            if (requests.Count == 0)
            {
                break;
            }

            if (round == MaxApprovalRounds)
            {
                throw new InvalidOperationException($"The model asked for approvals after {MaxApprovalRounds} rounds although no tools were offered.");
            }

            var lastRound = round == MaxApprovalRounds - 1;
            var responses = new List<AIContent>();
            foreach (var request in requests)
            {
                var call = request.ToolCall as FunctionCallContent;
                var name = call?.Name ?? "tool";
                ShowPanel($"approval needed: {name}", call is null ? string.Empty : FormatArguments(call.Arguments), Color.Orange1);
                var approved = !lastRound && approve(request);
                if (lastRound)
                {
                    _console.MarkupLine($"[orange1]denied: this turn reached {MaxApprovalRounds} approval rounds; the model now answers without tools.[/]");
                }
                else
                {
                    _console.MarkupLine(approved ? "[green]approved[/]" : "[red]denied[/]");
                }

                approvals.Add((name, approved));
                responses.Add(request.CreateResponse(approved));
            }

            input = [new ChatMessage(ChatRole.User, responses)];
            toolMode = lastRound ? ChatToolMode.None : ChatToolMode.Auto;
        }

        var (inContext, stored) = await _runtime.CountContextTokensAsync(session, cancellationToken).ConfigureAwait(false);
        var engineStatistics = _runtime.Engine.GetStatistics();
        var statistics = new TurnStatistics(
            inContext,
            stored,
            _runtime.HistoryTokenBudget,
            _runtime.Engine.ContextSize,
            usage.InputTokenCount ?? 0,
            usage.CachedInputTokenCount ?? 0,
            usage.OutputTokenCount ?? 0,
            modelCalls,
            engineStatistics.KvCellsInUse);
        ShowStatistics(statistics);
        return new TurnReport(assistantText.ToString(), calls, results, approvals, statistics);
    }

    private void ShowStatistics(TurnStatistics s)
    {
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey).Title("[grey]memory this turn[/]");
        table.AddColumn("context tokens");
        table.AddColumn("history (stored / budget)");
        table.AddColumn("prompt tokens (cached reused)");
        table.AddColumn("output tokens");
        table.AddColumn("model calls");
        table.AddColumn("KV cells in use");
        table.AddRow(
            Invariant($"{s.ContextTokens:N0} / {s.ContextSize:N0}"),
            Invariant($"{s.StoredHistoryTokens:N0} / {s.HistoryTokenBudget:N0}"),
            Invariant($"{s.PromptTokens:N0} ({s.CachedPromptTokens:N0})"),
            Invariant($"{s.OutputTokens:N0}"),
            Invariant($"{s.ModelCalls}"),
            Invariant($"{s.KvCellsInUse:N0}"));
        _console.Write(table);
    }

    private void ShowPanel(string header, string body, Color color) =>
        _console.Write(new Panel(new Text(body.Length == 0 ? "(no arguments)" : body))
            .Header(Markup.Escape(header))
            .BorderColor(color)
            .Expand());

    private void EndLine(ref bool atLineStart)
    {
        if (!atLineStart)
        {
            _console.WriteLine();
            atLineStart = true;
        }
    }

    private static string FormatArguments(IDictionary<string, object?>? arguments) =>
        arguments is null || arguments.Count == 0
            ? string.Empty
            : string.Join('\n', arguments.Select(a => $"{a.Key} = {FormatResult(a.Value)}"));

    private static string FormatResult(object? value) => value switch
    {
        null => "null",
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? string.Empty,
        JsonElement e => e.GetRawText(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Shorten(string text) =>
        text.Length <= MaxShownResultCharacters
            ? text
            : text[..MaxShownResultCharacters] + Invariant($"\n[... {text.Length - MaxShownResultCharacters:N0} more characters; the model read them all]");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
