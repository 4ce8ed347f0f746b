using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Llama4.Core;
using Llama4.Testing;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests.Ecosystem;

/// <summary>
/// Microsoft Agent Framework's <see cref="ChatClientAgent"/> over Llama4ChatClient, end to end on the random-weight tiny
/// model. The agent adds its own function-invocation loop; per-run <see cref="ChatClientAgentRunOptions"/> make the
/// first round Required, so a call is guaranteed.
/// </summary>
public sealed class ChatClientAgentTests(PerSequenceKvEngineFixture fixture) : IClassFixture<PerSequenceKvEngineFixture>
{
    private const string Instructions = "You manage the user's alarms.";

    [Fact]
    public async Task RunAsync_RequiredToolModeInRunOptions_InvokesToolAndCompletes()
    {
        var tool = new CountingAlarm();
        var agent = CreateAgent(new Llama4ChatClient(fixture.Engine), tool);

        var response = await agent.RunAsync(
            "Wake me up at seven.",
            session: null,
            RequiredRun(seed: 1),
            TestContext.Current.CancellationToken);

        Assert.True(tool.Invocations >= 1);
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var call = Assert.IsType<FunctionCallContent>(contents.First(c => c is FunctionCallContent));
        Assert.Equal(CountingAlarm.Name, call.Name);
        var result = Assert.Single(contents.OfType<FunctionResultContent>(), r => r.CallId == call.CallId);
        Assert.Null(result.Exception);
        Assert.Equal(ChatRole.Assistant, response.Messages[^1].Role);
        Assert.NotNull(response.Usage);
    }

    [Fact]
    public async Task RunAsync_SecondTurnOnSameSession_SendsToolHistoryBackAndRendersIt()
    {
        var tool = new CountingAlarm();
        var sent = new List<List<ChatMessage>>();
        var client = new ChatClientBuilder(new Llama4ChatClient(fixture.Engine))
            .Use(
                (messages, options, next, cancellationToken) =>
                {
                    sent.Add([.. messages]);
                    return next(messages, options, cancellationToken);
                })
            .Build();
        var agent = CreateAgent(client, tool);
        var session = await agent.CreateSessionAsync(TestContext.Current.CancellationToken);

        await agent.RunAsync("Wake me up at seven.", session, RequiredRun(seed: 5), TestContext.Current.CancellationToken);
        var invocationsAfterFirstTurn = tool.Invocations;
        sent.Clear();
        var second = await agent.RunAsync(
            "Thanks. Anything else?",
            session,
            new ChatClientAgentRunOptions(new ChatOptions { MaxOutputTokens = 40, Seed = 5 }),
            TestContext.Current.CancellationToken);

        Assert.True(invocationsAfterFirstTurn >= 1);
        Assert.Equal(ChatRole.Assistant, second.Messages[^1].Role);
        var history = sent[0];
        Assert.Contains(history, m => m.Role == ChatRole.Assistant && m.Contents.OfType<FunctionCallContent>().Any());
        Assert.Contains(history, m => m.Role == ChatRole.Tool && m.Contents.OfType<FunctionResultContent>().Any());
        var rendered = Llama4ChatMapper.ToLlama4Messages(history, Instructions);
        Assert.Equal(Llama4Role.User, rendered[0].Role is Llama4Role.System ? rendered[1].Role : rendered[0].Role);
        Assert.Contains(rendered, m => m.Role == Llama4Role.Assistant && m.ToolCalls.Count > 0);
        Assert.Contains(rendered, m => m.Role == Llama4Role.IPython);
        Assert.Equal("Thanks. Anything else?", rendered[^1].Content);
    }

    [Fact]
    public async Task RunStreamingAsync_RequiredToolModeInRunOptions_StreamsCallAndResult()
    {
        var tool = new CountingAlarm();
        var agent = CreateAgent(new Llama4ChatClient(fixture.Engine), tool);

        var updates = await agent.RunStreamingAsync(
            "Wake me up at seven.",
            session: null,
            RequiredRun(seed: 3),
            TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.True(tool.Invocations >= 1);
        var contents = updates.SelectMany(u => u.Contents).ToList();
        var call = Assert.IsType<FunctionCallContent>(contents.First(c => c is FunctionCallContent));
        var result = Assert.IsType<FunctionResultContent>(contents.First(c => c is FunctionResultContent));
        Assert.Equal(call.CallId, result.CallId);
        Assert.Equal(ChatRole.Assistant, updates.ToAgentResponse().Messages[0].Role);
    }

    [Fact]
    public async Task RunAsync_ApprovalRequiredTool_AsksThenRunsItWhenApprovedInTheSameSession()
    {
        var tool = new CountingAlarm();
        var agent = new ChatClientAgent(new Llama4ChatClient(fixture.Engine), Instructions, name: "alarms", description: null, tools: [new ApprovalRequiredAIFunction(tool.Function)]);
        var session = await agent.CreateSessionAsync(TestContext.Current.CancellationToken);

        var first = await agent.RunAsync("Wake me up at seven.", session, RequiredRun(seed: 2), TestContext.Current.CancellationToken);

        Assert.Equal(0, tool.Invocations);
        var request = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());

        var second = await agent.RunAsync(
            new ChatMessage(ChatRole.User, [request.CreateResponse(true)]),
            session,
            new ChatClientAgentRunOptions(new ChatOptions { MaxOutputTokens = 60, Seed = 2 }),
            TestContext.Current.CancellationToken);

        Assert.Equal(1, tool.Invocations);
        var call = Assert.IsType<FunctionCallContent>(request.ToolCall);
        Assert.Contains(second.Messages.SelectMany(m => m.Contents), c => c is FunctionResultContent r && r.CallId == call.CallId);
        Assert.Equal(ChatRole.Assistant, second.Messages[^1].Role);
    }

    [Fact]
    public async Task RunStreamingAsync_SecondTurnAfterStreamedToolCall_Completes()
    {
        var tool = new CountingAlarm();
        var agent = CreateAgent(new Llama4ChatClient(fixture.Engine), tool);
        var session = await agent.CreateSessionAsync(TestContext.Current.CancellationToken);

        await agent.RunStreamingAsync("Wake me up at seven.", session, RequiredRun(seed: 4), TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);
        var second = await agent.RunStreamingAsync(
            "Thanks.",
            session,
            new ChatClientAgentRunOptions(new ChatOptions { MaxOutputTokens = 30, Seed = 4 }),
            TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.True(tool.Invocations >= 1);
        Assert.NotEmpty(second);
        Assert.Equal(ChatRole.Assistant, second.ToAgentResponse().Messages[^1].Role);
    }

    private static ChatClientAgent CreateAgent(IChatClient client, CountingAlarm tool) =>
        new(client, Instructions, name: "alarms", description: null, tools: [tool.Function]);

    // The agent merges these with its defaults; the first round must call a tool, the rest is Auto.
    private static ChatClientAgentRunOptions RequiredRun(int seed) =>
        new(new ChatOptions { ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 120, Seed = seed });

    private sealed class CountingAlarm
    {
        public const string Name = "set_alarm";

        private int _invocations;

        public CountingAlarm() => Function = AIFunctionFactory.Create(SetAlarm, Name, "Sets an alarm.");

        public AIFunction Function { get; }

        public int Invocations => Volatile.Read(ref _invocations);

        private string SetAlarm([Range(0, 23)] int hour, [Description("Minute"), Range(0, 59)] int minute)
        {
            Interlocked.Increment(ref _invocations);
            return FormattableString.Invariant($"Alarm set for {hour:00}:{minute:00}.");
        }
    }
}
