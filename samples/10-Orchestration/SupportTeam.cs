using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Llama4.Core;
using Llama4.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;

/// <summary>
/// The agents of a customer-support team, all on one engine: a triage agent that hands each ticket to a specialist, and
/// a reviewer and an editor that go over the specialist's draft. Every agent's instructions start with the same company
/// preamble, so its KV cells are decoded once and shared by all of them.
/// </summary>
internal sealed class SupportTeam
{
    /// <summary>The instructions every agent starts with (company, policies, tone).</summary>
    public const string Preamble =
        "You work in customer support at Northwind Home, an online shop for kitchen appliances and home goods in the EU.\n" +
        "Policies: standard delivery takes 3 to 5 working days and express delivery the next working day; delivery abroad " +
        "takes 5 to 8 working days. Unused items can be returned within 30 days with a free return label; refunds reach the " +
        "original payment method within 5 working days after the return arrives. Appliances carry a two-year warranty: a " +
        "faulty appliance is repaired or replaced, and the customer never pays for shipping. A double charge is refunded at " +
        "once, without waiting for the customer's bank. Never promise what these policies do not say, never ask for a full " +
        "card number or a password, and never share one customer's data with another.\n" +
        "Tone: friendly, direct, short. Use the customer's words, say what happens next and when, and sign off as Northwind Home support.\n";

    private readonly ConcurrentQueue<AgentTurn> _turns;

    public SupportTeam(Llama4Engine engine, int maxOutputTokens, ConcurrentQueue<AgentTurn> turns)
    {
        _turns = turns;
        AITool[] tools =
        [
            AIFunctionFactory.Create(([Range(1, 99999)] int orderNumber) => $"Order {orderNumber}: paid, shipped 2 days ago.", "lookup_order", "Looks up an order by its number."),
            AIFunctionFactory.Create(([StringLength(40, MinimumLength = 1)] string topic) => $"Policy on {topic}: see the preamble.", "search_policy", "Finds the policy on a topic."),
        ];
        Tools = tools;
        ChatClientAgent Agent(string name, string description, string role, int seed, ChatToolMode? toolMode = null, AITool[]? agentTools = null, int? outputTokens = null) =>
            new(new TurnRecorder(BoundHandoffReasons(new Llama4ChatClient(engine)), name, _turns), new ChatClientAgentOptions
            {
                Name = name,
                Description = description,
                ChatOptions = new ChatOptions
                {
                    Instructions = Preamble + "\n" + role,
                    Tools = agentTools ?? tools,
                    ToolMode = toolMode,
                    MaxOutputTokens = outputTokens ?? maxOutputTokens,
                    Seed = seed,
                },
            });

        // Triage only routes: its only tools are the handoffs the workflow adds, and it must call one (with room for the call).
        Triage = Agent("triage", "Routes tickets", "Your job: read the ticket and hand it to the right specialist. Do not answer it yourself.", 1, ChatToolMode.RequireAny, [], Math.Max(maxOutputTokens, 128));
        Specialists =
        [
            Agent("billing", "Payments, charges, invoices and refunds of money", "Your job: answer tickets about payments, charges and refunds.", 2),
            Agent("technical", "Appliances that do not work, warranty repairs", "Your job: answer tickets about faulty appliances and warranty repairs.", 3),
            Agent("returns", "Returning or exchanging items", "Your job: answer tickets about returns and exchanges.", 4),
        ];
        Reviewer = Agent("reviewer", "Checks drafts", "Your job: check the draft reply against the policies and list every problem, or say it is fine.", 5);
        Editor = Agent("editor", "Writes the final reply", "Your job: write the final reply to the customer from the draft and the review.", 6);
    }

    /// <summary>Gets the tools every agent but triage offers.</summary>
    public IReadOnlyList<AITool> Tools { get; }

    public ChatClientAgent Triage { get; }

    public IReadOnlyList<ChatClientAgent> Specialists { get; }

    public ChatClientAgent Reviewer { get; }

    public ChatClientAgent Editor { get; }

    /// <summary>Every agent but triage, whose handoff tools exist only inside the workflow.</summary>
    public IEnumerable<ChatClientAgent> AgentsWithFixedTools => [.. Specialists, Reviewer, Editor];

    /// <summary>Triage hands the ticket to one specialist, who drafts the reply.</summary>
    public Workflow CreateTriageWorkflow() =>
        AgentWorkflowBuilder.CreateHandoffBuilderWith(Triage).WithHandoffs(Triage, Specialists).Build();

    /// <summary>The reviewer goes over the draft, then the editor writes the final reply.</summary>
    public Workflow CreateReviewWorkflow() => AgentWorkflowBuilder.BuildSequential(Reviewer, Editor);

    /// <summary>
    /// The workflow's handoff functions take a free-text reason of any length; this bounds it to 40 characters, so that
    /// a call always fits the reply's token limit (the grammar enforces the bound), whatever the model writes.
    /// </summary>
    private static IChatClient BoundHandoffReasons(IChatClient client) =>
        new ChatClientBuilder(client).Use((messages, options, next, cancellationToken) =>
        {
            if (options?.Tools is { Count: > 0 } tools && tools.Any(IsHandoff))
            {
                options = options.Clone();
                options.Tools = [.. tools.Select(t => IsHandoff(t) ? AIFunctionFactory.CreateDeclaration(t.Name, t.Description, BoundedReasonSchema) : t)];
            }

            return next(messages, options, cancellationToken);
        }).Build();

    private static bool IsHandoff(AITool tool) => tool is AIFunctionDeclaration && tool.Name.StartsWith(HandoffWorkflowBuilder.FunctionPrefix, StringComparison.Ordinal);

    private static readonly JsonElement BoundedReasonSchema = JsonDocument.Parse(
        """{"type":"object","properties":{"reasonForHandoff":{"description":"The reason for the handoff","type":"string","maxLength":40}},"required":["reasonForHandoff"]}""").RootElement;
}
