using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests.Ecosystem;

/// <summary>
/// Llama4ChatClient under Microsoft.Extensions.AI's <see cref="FunctionInvokingChatClient"/> (<c>UseFunctionInvocation()</c>),
/// end to end on the random-weight tiny model. Required mode guarantees the first call; FunctionInvokingChatClient then
/// switches to Auto, where the random model answers in text or calls again, so every loop is bounded.
/// </summary>
public sealed class FunctionInvokingChatClientTests(PerSequenceKvEngineFixture fixture) : IClassFixture<PerSequenceKvEngineFixture>
{
    private const int MaxIterations = 3;

    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Wake me up at seven.")];

    [Fact]
    public async Task GetResponseAsync_UseFunctionInvocationWithRequiredFirstRound_InvokesFunctionAndRoundTripsResult()
    {
        var alarm = new AlarmTool();
        var sent = new List<SentRequest>();
        using var client = CreateClient(sent);

        var response = await client.GetResponseAsync(
            Question,
            new ChatOptions { Tools = [alarm.Function], ToolMode = ChatToolMode.RequireAny, Seed = 1, MaxOutputTokens = 200 },
            TestContext.Current.CancellationToken);

        Assert.InRange(alarm.Invocations, 1, MaxIterations);
        Assert.IsType<RequiredChatToolMode>(sent[0].Options?.ToolMode);
        Assert.All(sent.Skip(1), r => Assert.IsNotType<RequiredChatToolMode>(r.Options?.ToolMode));
        var messages = response.Messages;
        Assert.True(messages.Count >= 3, $"expected call, result and reply; got {Describe(messages)}");
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(messages[0].Contents, c => c is not TextContent { Text.Length: 0 }));
        Assert.Equal(ChatRole.Assistant, messages[0].Role);
        Assert.Equal(AlarmTool.Name, call.Name);
        Assert.Equal(ChatRole.Tool, messages[1].Role);
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(messages[1].Contents));
        Assert.Equal(call.CallId, result.CallId);
        Assert.Null(result.Exception);
        Assert.Equal(AlarmTool.ResultFor(call), result.Result?.ToString());
        Assert.Equal(ChatRole.Assistant, messages[^1].Role);
        Assert.Equal(alarm.Invocations, messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Count());
        Assert.NotNull(response.Usage);
    }

    [Fact]
    public async Task GetResponseAsync_UseFunctionInvocationOverManySeeds_EveryLoopEndsWithAnAssistantReply()
    {
        var alarm = new AlarmTool();
        using var client = CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(1, 6).Select(seed => client.GetResponseAsync(
            Question,
            new ChatOptions { Tools = [alarm.Function], ToolMode = ChatToolMode.RequireAny, Seed = seed, MaxOutputTokens = 150 },
            TestContext.Current.CancellationToken)));

        Assert.All(responses, r => Assert.Equal(ChatRole.Assistant, r.Messages[^1].Role));
        Assert.All(responses, r => Assert.IsType<FunctionResultContent>(r.Messages[1].Contents.Single()));
        Assert.InRange(alarm.Invocations, 6, 6 * MaxIterations);
    }

    [Fact]
    public async Task GetResponseAsync_ApprovalRequiredFunction_ReturnsApprovalRequestThenRunsFunctionOnceApproved()
    {
        var alarm = new AlarmTool();
        var sent = new List<SentRequest>();
        using var client = CreateClient(sent);
        var options = new ChatOptions { Tools = [new ApprovalRequiredAIFunction(alarm.Function)], ToolMode = ChatToolMode.RequireAny, Seed = 2, MaxOutputTokens = 200 };

        var first = await client.GetResponseAsync(Question, options, TestContext.Current.CancellationToken);

        Assert.Equal(0, alarm.Invocations);
        var request = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        var requestedCall = Assert.IsType<FunctionCallContent>(request.ToolCall);
        Assert.Equal(AlarmTool.Name, requestedCall.Name);
        Assert.DoesNotContain(first.Messages.SelectMany(m => m.Contents), c => c is FunctionCallContent);

        List<ChatMessage> history = [.. Question, .. first.Messages, new(ChatRole.User, [request.CreateResponse(true)])];
        var second = await client.GetResponseAsync(history, options, TestContext.Current.CancellationToken);

        Assert.InRange(alarm.Invocations, 1, MaxIterations);
        var result = Assert.Single(second.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>(), r => r.CallId == requestedCall.CallId);
        Assert.Equal(AlarmTool.ResultFor(requestedCall), result.Result?.ToString());
        Assert.Equal(ChatRole.Assistant, second.Messages[^1].Role);

        // What FunctionInvokingChatClient sent after the approval renders as user, assistant call, ipython result.
        var rendered = Llama4ChatMapper.ToLlama4Messages(sent[1].Messages, instructions: null);
        Assert.Equal([Llama4Role.User, Llama4Role.Assistant, Llama4Role.IPython], rendered.Select(m => m.Role));
        Assert.Equal(AlarmTool.Name, Assert.Single(rendered[1].ToolCalls).Name);
        Assert.Equal(JsonSerializer.Serialize(AlarmTool.ResultFor(requestedCall)), rendered[2].Content);
    }

    [Fact]
    public async Task GetResponseAsync_ApprovalRejected_DoesNotRunFunctionAndSendsTheRejectionBack()
    {
        var alarm = new AlarmTool();
        var sent = new List<SentRequest>();
        using var client = CreateClient(sent);
        var options = new ChatOptions { Tools = [new ApprovalRequiredAIFunction(alarm.Function)], ToolMode = ChatToolMode.RequireAny, Seed = 4, MaxOutputTokens = 200 };

        var first = await client.GetResponseAsync(Question, options, TestContext.Current.CancellationToken);
        var request = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>());
        List<ChatMessage> history = [.. Question, .. first.Messages, new(ChatRole.User, [request.CreateResponse(false, "Not now.")])];
        options.ToolMode = ChatToolMode.Auto;

        var second = await client.GetResponseAsync(history, options, TestContext.Current.CancellationToken);

        Assert.Equal(0, alarm.Invocations);
        Assert.Equal(ChatRole.Assistant, second.Messages[^1].Role);
        var rendered = Llama4ChatMapper.ToLlama4Messages(sent[1].Messages, instructions: null);
        Assert.Equal([Llama4Role.User, Llama4Role.Assistant, Llama4Role.IPython], rendered.Select(m => m.Role));
        Assert.Contains("Not now.", rendered[2].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_FunctionThrows_SendsErrorResultBackAndContinues()
    {
        var failing = AIFunctionFactory.Create(BrokenAlarm, AlarmTool.Name, "Sets an alarm.");
        var sent = new List<SentRequest>();
        using var client = CreateClient(sent);

        var response = await client.GetResponseAsync(
            Question,
            new ChatOptions { Tools = [failing], ToolMode = ChatToolMode.RequireAny, Seed = 1, MaxOutputTokens = 120 },
            TestContext.Current.CancellationToken);

        var result = Assert.IsType<FunctionResultContent>(Assert.Single(response.Messages[1].Contents));
        Assert.IsType<InvalidOperationException>(result.Exception);
        Assert.Equal(ChatRole.Assistant, response.Messages[^1].Role);
        var rendered = Llama4ChatMapper.ToLlama4Messages(sent[1].Messages, instructions: null);
        Assert.Equal(Llama4Role.IPython, rendered[^1].Role);
        Assert.Equal(JsonSerializer.Serialize(result.Result?.ToString()), rendered[^1].Content);
    }

    [Fact]
    public async Task GetResponseAsyncOfT_ToolThenStructuredAnswer_InvokesToolAndParsesTheResult()
    {
        var alarm = new AlarmTool();
        using var client = CreateClient();

        var response = await client.GetResponseAsync<AlarmConfirmation>(
            Question,
            new ChatOptions { Tools = [alarm.Function], ToolMode = ChatToolMode.RequireAny, Seed = 1, MaxOutputTokens = 200 },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.InRange(alarm.Invocations, 1, MaxIterations);
        Assert.Contains(response.Messages.SelectMany(m => m.Contents), c => c is FunctionResultContent);
        Assert.True(response.TryGetResult(out var confirmation), $"the final reply is JSON of the schema: {response.Text}");
        Assert.InRange(confirmation.Hour, 0, 23);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UseFunctionInvocationWithRequiredFirstRound_StreamsCallAndResult()
    {
        var alarm = new AlarmTool();
        using var client = CreateClient();

        var updates = await client.GetStreamingResponseAsync(
            Question,
            new ChatOptions { Tools = [alarm.Function], ToolMode = ChatToolMode.RequireAny, Seed = 3, MaxOutputTokens = 200 },
            TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.InRange(alarm.Invocations, 1, MaxIterations);
        var contents = updates.SelectMany(u => u.Contents).ToList();
        var call = Assert.IsType<FunctionCallContent>(contents.First(c => c is FunctionCallContent));
        var result = Assert.IsType<FunctionResultContent>(contents.First(c => c is FunctionResultContent));
        Assert.Equal(call.CallId, result.CallId);
        Assert.True(contents.IndexOf(call) < contents.IndexOf(result), "the call streams before its result");
        Assert.Equal(ChatRole.Tool, updates.First(u => u.Contents.Contains(result)).Role);
        Assert.Equal(AlarmTool.ResultFor(call), result.Result?.ToString());

        var response = updates.ToChatResponse();
        Assert.Equal(ChatRole.Assistant, response.Messages[0].Role);
        Assert.Equal(ChatRole.Tool, response.Messages[1].Role);
    }

    // sent (optional) records every request that reaches Llama4ChatClient (one caller at a time).
    private IChatClient CreateClient(List<SentRequest>? sent = null) => new ChatClientBuilder(new Llama4ChatClient(fixture.Engine))
        .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = MaxIterations)
        .Use(
            (messages, options, next, cancellationToken) =>
            {
                sent?.Add(new SentRequest([.. messages], options));
                return next(messages, options, cancellationToken);
            })
        .Build();

    private static string BrokenAlarm([Range(0, 23)] int hour) =>
        throw new InvalidOperationException(FormattableString.Invariant($"The alarm clock is broken; {hour} not set."));

    public sealed record AlarmConfirmation([property: Range(0, 23)] int Hour, bool Set);

    private sealed record SentRequest(List<ChatMessage> Messages, ChatOptions? Options);

    private static string Describe(IEnumerable<ChatMessage> messages) =>
        string.Join(" | ", messages.Select(m => $"{m.Role}: {string.Join(", ", m.Contents.Select(c => c.GetType().Name))}"));

    /// <summary>A tool with small bounded parameters that counts its invocations.</summary>
    private sealed class AlarmTool
    {
        public const string Name = "set_alarm";

        private int _invocations;

        public AlarmTool() => Function = AIFunctionFactory.Create(SetAlarm, Name, "Sets an alarm.");

        public AIFunction Function { get; }

        public int Invocations => Volatile.Read(ref _invocations);

        /// <summary>The result the tool gives for the arguments of a call.</summary>
        public static string ResultFor(FunctionCallContent call) => Format(Argument(call, "hour"), Argument(call, "minute"));

        private static int Argument(FunctionCallContent call, string name) =>
            int.Parse(call.Arguments![name]!.ToString()!, CultureInfo.InvariantCulture);

        private static string Format(int hour, int minute) => FormattableString.Invariant($"Alarm set for {hour:00}:{minute:00}.");

        private string SetAlarm([Description("Hour, 0-23"), Range(0, 23)] int hour, [Description("Minute, 0-59"), Range(0, 59)] int minute)
        {
            Interlocked.Increment(ref _invocations);
            return Format(hour, minute);
        }
    }
}
