using System.Collections.Concurrent;
using System.Diagnostics;
using Llama4.Core;
using Llama4.Extensions.AI;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;

/// <summary>Runs the support team's workflow over several tickets at once, on one engine.</summary>
internal static class Orchestration
{
    /// <summary>The customers' messages; more tickets than these repeat them.</summary>
    public static readonly string[] Tickets =
    [
        "I was charged twice for order 5521. Please fix this, I need the money back.",
        "My new kettle from order 3310 does not turn on any more, the light just blinks red.",
        "The running shoes from order 1208 are too small. How do I send them back?",
        "I paid for express delivery on order 7734 but it took a week. Can I get the difference back?",
    ];

    /// <summary>Runs every ticket concurrently: triage hands it to a specialist, then the reviewer and the editor go over the draft.</summary>
    public static async Task<RunResult> RunAsync(Llama4Engine engine, int ticketCount, int maxOutputTokens, CancellationToken cancellationToken = default)
    {
        var turns = new ConcurrentQueue<AgentTurn>();
        var team = new SupportTeam(engine, maxOutputTokens, turns);
        var before = engine.GetStatistics();
        var processorTime = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        if (engine.Options.ReuseKvCache)
        {
            await PrimeAsync(engine, team, cancellationToken).ConfigureAwait(false);
        }

        var tickets = await Task.WhenAll(Enumerable.Range(0, ticketCount)
            .Select(i => RunTicketAsync(team, Tickets[i % Tickets.Length], cancellationToken))).ConfigureAwait(false);
        clock.Stop();
        var after = engine.GetStatistics();
        return new RunResult(
            engine.Options.ReuseKvCache,
            tickets,
            [.. turns],
            clock.Elapsed,
            Process.GetCurrentProcess().TotalProcessorTime - processorTime,
            after.PromptTokensProcessed - before.PromptTokensProcessed,
            after.PromptTokensReused - before.PromptTokensReused,
            after.TokensGenerated - before.TokensGenerated,
            after.MaxSequencesInOneDecode);
    }

    /// <summary>
    /// Decodes what the agents' prompts share before the tickets start together (otherwise the first requests, arriving
    /// at the same moment, would each decode it): first the preamble every agent's instructions begin with, then, all at
    /// once, each agent's own instructions and tools, which copy the preamble's cells. Every later call of an agent
    /// copies its cells in turn and decodes only the ticket. One output token each; nothing is recorded as an agent turn.
    /// </summary>
    private static async Task PrimeAsync(Llama4Engine engine, SupportTeam team, CancellationToken cancellationToken)
    {
        using var client = new Llama4ChatClient(engine);
        Task Prime(string instructions, IList<AITool>? tools) => client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Ready?")], new ChatOptions { Instructions = instructions, Tools = tools, MaxOutputTokens = 1 }, cancellationToken);

        // Any tool makes the system turn start as the agents' do ("Environment: ipython").
        await Prime(SupportTeam.Preamble, [AIFunctionFactory.Create(() => string.Empty, "ready", "Unused.")]).ConfigureAwait(false);
        await Task.WhenAll(team.AgentsWithFixedTools.Select(agent => Prime(agent.Instructions!, [.. team.Tools]))).ConfigureAwait(false);
    }

    private static async Task<TicketResult> RunTicketAsync(SupportTeam team, string ticket, CancellationToken cancellationToken)
    {
        var routed = await RunWorkflowAsync(team.CreateTriageWorkflow(), [new ChatMessage(ChatRole.User, ticket)], cancellationToken).ConfigureAwait(false);
        var draft = routed.LastOrDefault(m => m.Role == ChatRole.Assistant && m.AuthorName is not null && m.AuthorName != team.Triage.Name);
        var review = $"Ticket:\n{ticket}\n\nDraft reply by the {draft?.AuthorName} specialist:\n{draft?.Text}";
        var reviewed = await RunWorkflowAsync(team.CreateReviewWorkflow(), [new ChatMessage(ChatRole.User, review)], cancellationToken).ConfigureAwait(false);
        var final = reviewed.LastOrDefault(m => m.Role == ChatRole.Assistant);
        return new TicketResult(ticket, draft?.AuthorName ?? "(none)", draft?.Text ?? string.Empty, final?.Text ?? string.Empty);
    }

    private static async Task<List<ChatMessage>> RunWorkflowAsync(Workflow workflow, List<ChatMessage> input, CancellationToken cancellationToken)
    {
        await using var run = await InProcessExecution.RunStreamingAsync(workflow, input, cancellationToken: cancellationToken).ConfigureAwait(false);
        await run.TrySendMessageAsync(new TurnToken(emitEvents: false)).ConfigureAwait(false);
        await foreach (var workflowEvent in run.WatchStreamAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (workflowEvent)
            {
                case WorkflowOutputEvent output when output.Is<List<ChatMessage>>(out var messages):
                    return messages;
                case ExecutorFailedEvent failed:
                    throw new InvalidOperationException($"The workflow's step '{failed.ExecutorId}' failed.", failed.Data as Exception);
                case WorkflowErrorEvent error:
                    throw new InvalidOperationException("The workflow failed.", error.Data as Exception);
            }
        }

        throw new InvalidOperationException("The workflow ended without an output.");
    }
}
