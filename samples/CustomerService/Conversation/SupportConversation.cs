using System.Globalization;
using CustomerService.Agent;
using CustomerService.Console;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace CustomerService.Conversation;

/// <summary>
/// Runs the turns of one conversation on one agent: streams each reply, asks the human about approval requests and
/// sends the decisions back, prints token and cache statistics, and saves the session after every turn.
/// </summary>
internal sealed partial class SupportConversation(
    SupportAgent agent,
    AgentSession session,
    ConversationStore store,
    SupportAgentSettings settings,
    IAnsiConsole console,
    ILogger logger)
{
    /// <summary>Output tokens a forced tool call gets at least.</summary>
    public const int ForcedCallMinimumOutputTokens = 320;

    public AgentSession Session => session;

    public async Task RunTurnAsync(ScriptCommand turn, IConversationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(input);
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[bold green]Customer:[/] {turn.Text}");
        var options = new ChatOptions { MaxOutputTokens = settings.MaxOutputTokens };
        if (turn.ForcedTool is { } tool)
        {
            if (!agent.Tools.Any(t => t.Name == tool))
            {
                throw new ArgumentException(
                    $"Line {turn.LineNumber}: there is no tool '{tool}'. The tools are: {string.Join(", ", agent.Tools.Select(t => t.Name))}.",
                    nameof(turn));
            }

            // A forced call that runs out of output tokens comes back as no call at all (docs/tool-calling.md): leave
            // room for the whole call, whose string arguments may take up to their maxLength.
            options.ToolMode = ChatToolMode.RequireSpecific(tool);
            options.MaxOutputTokens = Math.Max(settings.MaxOutputTokens, ForcedCallMinimumOutputTokens);
            console.MarkupLineInterpolated(
                CultureInfo.InvariantCulture,
                $"[yellow]This turn FORCES the tool {tool} (ChatToolMode.RequireSpecific): the model must call it, and the grammar keeps the arguments valid against the tool's schema. The model still chooses the argument values.[/]");
        }

        IEnumerable<ChatMessage> messages = [new ChatMessage(ChatRole.User, turn.Text)];
        var renderer = new TurnRenderer(console);
        var previousRequest = agent.ModelInput.LastRequest;
        for (var round = 1; ; round++)
        {
            var updates = new List<AgentResponseUpdate>();
            await foreach (var update in agent.Agent.RunStreamingAsync(messages, session, new ChatClientAgentRunOptions(options), cancellationToken).ConfigureAwait(false))
            {
                renderer.Render(update);
                updates.Add(update);
            }

            var response = updates.ToAgentResponse();
            renderer.RenderUsage(response.Usage, round);
            var modelRead = LogModelInput(previousRequest);
            if (round == 1 && modelRead is not null && modelRead != turn.Text)
            {
                console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]Moderation redacted the message; the model read: {modelRead}[/]");
            }

            var approvals = response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().ToList();
            if (approvals.Count == 0)
            {
                break;
            }

            List<AIContent> decisions = [];
            foreach (var approval in approvals)
            {
                var approved = input.Approve(approval);
                var name = (approval.ToolCall as FunctionCallContent)?.Name ?? "the tool";
                LogDecision(logger, name, approved);
                console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]The human {(approved ? "APPROVED" : "DENIED")} {name}.[/]");
                decisions.Add(approval.CreateResponse(approved));
            }

            // The decisions go back as a user message; the next model call is Auto, never forced again.
            messages = [new ChatMessage(ChatRole.User, decisions)];
            options = new ChatOptions { MaxOutputTokens = settings.MaxOutputTokens };
        }

        await store.SaveAsync(agent.Agent, session, cancellationToken).ConfigureAwait(false);
        var kv = await store.SaveKvAsync(agent, cancellationToken).ConfigureAwait(false);
        console.MarkupLineInterpolated(
            $"[grey]Saved: {ConversationStore.GetHistory(session).Count} messages in {store.SessionPath}; KV cache {kv?.TokenCount ?? 0} tokens in {store.KvSessionPath}.[/]");
    }

    // Logs what the model read (the text after moderation) and returns the user text it read last; null when the model
    // was not called (moderation blocked the turn).
    private string? LogModelInput(ModelRequest? previousRequest)
    {
        if (agent.ModelInput.LastRequest is not { } request || ReferenceEquals(request, previousRequest))
        {
            return null;
        }

        LogPromptSize(logger, request.Messages.Count);
        if (request.Messages.LastOrDefault(m => m.Role == ChatRole.User && m.Text.Length > 0) is not { } user)
        {
            return null;
        }

        LogModelRead(logger, user.Text);
        return user.Text;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "The model's prompt holds {MessageCount} messages.")]
    private static partial void LogPromptSize(ILogger logger, int messageCount);

    [LoggerMessage(EventId = 2, Level = LogLevel.Trace, Message = "The model read the user message: {Text}")]
    private static partial void LogModelRead(ILogger logger, string text);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "The human decided on {Tool}: approved {Approved}.")]
    private static partial void LogDecision(ILogger logger, string tool, bool approved);
}
