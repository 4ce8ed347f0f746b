using System.ComponentModel;
using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Llama4.Extensions.AI.Tests.ChatReduction;

/// <summary>The reducers in real Microsoft.Extensions.AI pipelines over Llama4ChatClient (real inference on the tiny model).</summary>
public sealed class ReducingPipelineTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task UseChatReducer_Truncating_EveryPromptFitsAndIsCountedExactly()
    {
        const int budget = 420;
        var sent = new List<List<ChatMessage>>();
        var usage = new List<long>();
        var reducer = new Llama4TruncatingChatReducer(fixture.Engine, new() { TokenBudget = budget });
        using var client = new ChatClientBuilder(new Llama4ChatClient(fixture.Engine))
            .UseChatReducer(reducer)
            .Use(async (messages, options, next, cancellationToken) =>
            {
                sent.Add([.. messages]);
                await next(messages, options, cancellationToken);
            })
            .Build();
        var history = new List<ChatMessage>
        {
            new(ChatRole.System, "You are a helpful assistant."),
            new ChatMessage(ChatRole.User, "My name is Ada; remember it.").PinForChatReduction(),
        };

        for (var turn = 0; turn < 14; turn++)
        {
            history.Add(new ChatMessage(ChatRole.User, $"Turn {turn}: tell me something about llamas and their wool, in detail please."));
            var response = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 16, Seed = turn }, TestContext.Current.CancellationToken);
            history.AddMessages(response);
            usage.Add(response.Usage!.InputTokenCount!.Value);
        }

        var counter = new Llama4ChatTokenCounter(fixture.Engine);
        Assert.Equal(14, sent.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(counter.CountTokens(sent[i]), usage[i]);
            Assert.InRange(usage[i], 1, budget);
            Assert.Same(history[1], sent[i][1]);
        }

        Assert.Contains(sent, s => s.Count < history.Count - 2);
    }

    [Fact]
    public async Task UseChatReducer_InsideFunctionInvocation_NeverSendsACallWithoutItsResult()
    {
        const int budget = 700;
        var sent = new List<List<ChatMessage>>();
        var reducer = new Llama4TruncatingChatReducer(fixture.Engine, new() { TokenBudget = budget });
        var calls = 0;
        var tool = AIFunctionFactory.Create(
            ([Description("A city")] string city) =>
            {
                Interlocked.Increment(ref calls);
                return $"It is sunny in {city}, 21 degrees, light wind from the west, no rain expected this week.";
            },
            "get_weather",
            "Gets the weather.");
        using var client = new ChatClientBuilder(new Llama4ChatClient(fixture.Engine))
            .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 2)
            .UseChatReducer(reducer)
            .Use(async (messages, options, next, cancellationToken) =>
            {
                sent.Add([.. messages]);
                await next(messages, options, cancellationToken);
            })
            .Build();
        var history = new List<ChatMessage> { new(ChatRole.System, "You report the weather.") };

        for (var turn = 0; turn < 8; turn++)
        {
            history.Add(new ChatMessage(ChatRole.User, $"What is the weather in city number {turn}?"));
            var response = await client.GetResponseAsync(
                history,
                new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 120, Seed = turn },
                TestContext.Current.CancellationToken);
            history.AddMessages(response);
        }

        Assert.True(calls >= 8);
        var counter = new Llama4ChatTokenCounter(fixture.Engine);
        foreach (var prompt in sent)
        {
            ReductionAssert.ToolPairsIntact(prompt, prompt);
            Assert.InRange(counter.CountTokens(prompt), 1, budget);
        }

        Assert.Contains(sent, s => s.Count < history.Count / 2);
    }

    [Fact]
    public async Task UseChatReducer_SummarizingWithTheSameModel_InsertsAStableSummaryAndFits()
    {
        const int budget = 640;
        var summaryRequests = 0;
        var llama = new Llama4ChatClient(fixture.Engine);
        var summarizer = new ChatClientBuilder(llama)
            .Use(async (messages, options, next, cancellationToken) =>
            {
                Interlocked.Increment(ref summaryRequests);
                await next(messages, options, cancellationToken);
            })
            .Build();
        var reducer = summarizer.CreateLlama4SummarizingChatReducer(new() { TokenBudget = budget, SummaryMaxTokens = 40 });
        var sent = new List<List<ChatMessage>>();
        var usage = new List<long>();
        using var client = new ChatClientBuilder(llama)
            .UseChatReducer(reducer)
            .Use(async (messages, options, next, cancellationToken) =>
            {
                sent.Add([.. messages]);
                await next(messages, options, cancellationToken);
            })
            .Build();
        var history = new List<ChatMessage> { new(ChatRole.System, "You are a helpful assistant.") };

        for (var turn = 0; turn < 16; turn++)
        {
            history.Add(new ChatMessage(ChatRole.User, $"Turn {turn}: describe the alpaca and the llama, and how they differ, please."));
            var response = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 20, Seed = turn }, TestContext.Current.CancellationToken);
            history.AddMessages(response);
            usage.Add(response.Usage!.InputTokenCount!.Value);
        }

        var counter = new Llama4ChatTokenCounter(fixture.Engine);
        var summarized = sent.Where(s => s.Count > 1 && s[1].IsChatReductionSummary()).ToList();
        Assert.NotEmpty(summarized);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(counter.CountTokens(sent[i]), usage[i]);
            Assert.InRange(usage[i], 1, budget);
            Assert.True(sent[i].Count(m => m.IsChatReductionSummary()) <= 1);
        }

        // A summary is written once per eviction step; between steps the same text is sent again.
        var distinctSummaries = summarized.Select(s => s[1].Text).Distinct().Count();
        Assert.Equal(distinctSummaries, summaryRequests);
        Assert.True(summarized.Count > distinctSummaries);
    }

    [Fact]
    public async Task CountTokensWithOptions_ToolsAndInstructions_EqualsTheRequestsInputTokens()
    {
        using var client = new Llama4ChatClient(fixture.Engine, new Llama4ChatClientOptions { ToolPlacement = Llama4ToolPlacement.SystemMessage });
        var tool = AIFunctionFactory.Create((string city) => "sunny", "get_weather", "Gets the weather.");
        var options = new ChatOptions { Instructions = "Be brief.", Tools = [tool], MaxOutputTokens = 4, Seed = 1 };
        var messages = Conversations.Named("tool-round");
        var counter = new Llama4ChatTokenCounter(fixture.Engine);

        var response = await client.GetResponseAsync(messages, options, TestContext.Current.CancellationToken);

        var counted = counter.CountTokens(messages, options, new Llama4ChatClientOptions { ToolPlacement = Llama4ToolPlacement.SystemMessage });
        Assert.Equal(response.Usage!.InputTokenCount, counted);
        Assert.True(counted > counter.CountTokens(messages));
    }

    [Fact]
    public async Task AddLlama4TruncatingChatReducer_WithUseChatReducer_ReducesThroughDependencyInjection()
    {
        var sent = new List<List<ChatMessage>>();
        var services = new ServiceCollection();
        services.AddLlama4ChatClient(Configure)
            .UseChatReducer()
            .Use(async (messages, options, next, cancellationToken) =>
            {
                sent.Add([.. messages]);
                await next(messages, options, cancellationToken);
            });
        services.AddLlama4TruncatingChatReducer(o => o.TokenBudget = 500);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();
        var history = Enumerable.Range(0, 12).SelectMany(Conversations.Turn).ToList();

        await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 4 }, TestContext.Current.CancellationToken);

        Assert.Same(provider.GetRequiredService<Llama4TruncatingChatReducer>(), provider.GetRequiredService<IChatReducer>());
        var prompt = Assert.Single(sent);
        Assert.True(prompt.Count < history.Count);
        Assert.InRange(new Llama4ChatTokenCounter(provider.GetRequiredService<Llama4Engine>()).CountTokens(prompt), 1, 500);
    }

    [Fact]
    public async Task AddLlama4SummarizingChatReducer_ResolvesAReducerThatSummarizesWithTheEngine()
    {
        var services = new ServiceCollection();
        services.AddLlama4ChatClient(Configure).UseChatReducer();
        services.AddLlama4SummarizingChatReducer(o =>
        {
            o.TokenBudget = 900;
            o.SummaryMaxTokens = 24;
        });
        await using var provider = services.BuildServiceProvider();
        var reducer = provider.GetRequiredService<IChatReducer>();
        var history = Enumerable.Range(0, 12).SelectMany(Conversations.Turn).ToList();

        var reduced = (await reducer.ReduceAsync(history, TestContext.Current.CancellationToken)).ToList();

        Assert.IsType<Llama4SummarizingChatReducer>(reducer);
        Assert.True(reduced[0].IsChatReductionSummary());
        Assert.InRange(new Llama4ChatTokenCounter(provider.GetRequiredService<Llama4Engine>()).CountTokens(reduced), 1, 900);
    }

    [Fact]
    public async Task AddLlama4TruncatingChatReducer_InvalidOptions_FailValidationWhenResolved()
    {
        var services = new ServiceCollection();
        services.AddLlama4ChatClient(Configure);
        services.AddLlama4TruncatingChatReducer(o => o.TokenBudget = 0);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IChatReducer>());

        Assert.Contains("TokenBudget", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateLlama4TruncatingChatReducer_FromAPipeline_FindsTheEngine()
    {
        using var pipeline = new ChatClientBuilder(new Llama4ChatClient(fixture.Engine)).UseFunctionInvocation().Build();

        var reducer = pipeline.CreateLlama4TruncatingChatReducer(new() { TokenBudget = 1234 });

        Assert.Equal(1234, reducer.TokenBudget);
    }

    [Fact]
    public void CreateLlama4TruncatingChatReducer_NotALlama4Client_ThrowsArgumentException()
    {
        using var other = new ScriptedSummarizer();

        var error = Assert.Throws<ArgumentException>(() => other.CreateLlama4TruncatingChatReducer(new() { TokenBudget = 100 }));

        Assert.Contains("not a Llama4ChatClient", error.Message, StringComparison.Ordinal);
    }

    private static void Configure(Llama4EngineOptions options)
    {
        options.ModelPath = TinyModelFiles.Default;
        options.ContextSize = 4096;
        options.MaxParallelSequences = 2;
        options.Backend = Llama4Backend.Cpu;
    }
}
