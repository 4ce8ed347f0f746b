using Llama4.Extensions.AI;
using Llama4.Testing;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Llama4.SemanticKernel.Tests.ChatReduction;

/// <summary>The Llama 4 reducers behind Semantic Kernel's IChatHistoryReducer, counting with the real tiny model.</summary>
public sealed class ChatHistoryReducerAdapterTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task ReduceAsync_UnderBudget_ReturnsNullAndChatHistoryReduceAsyncKeepsTheHistory()
    {
        var history = History(turns: 2);
        var reducer = Truncating(budget: 10_000).AsChatHistoryReducer();

        var direct = await reducer.ReduceAsync(history, TestContext.Current.CancellationToken);
        var viaHistory = await history.ReduceAsync(reducer, TestContext.Current.CancellationToken);

        Assert.Null(direct);
        Assert.Equal(history, viaHistory);
    }

    [Fact]
    public async Task ChatHistoryReduceAsync_OverBudget_KeepsOriginalInstancesAndFits()
    {
        var history = History(turns: 30);
        var reducer = Truncating(budget: 600).AsChatHistoryReducer();

        var reduced = (await history.ReduceAsync(reducer, TestContext.Current.CancellationToken)).ToList();

        Assert.True(reduced.Count < history.Count);
        Assert.Same(history[0], reduced[0]);
        Assert.All(reduced, m => Assert.Contains(m, history));
        Assert.Same(history[^1], reduced[^1]);
        Assert.InRange(Count(reduced), 1, 600);
        Assert.Equal(30 * 4 + 1, history.Count);
    }

    [Fact]
    public async Task ChatHistoryReduceAsync_PinnedThroughMetadata_IsKept()
    {
        var history = History(turns: 30);
        history[5].Metadata = new Dictionary<string, object?> { [Llama4ChatReductionExtensions.PinnedPropertyKey] = true };
        var reducer = Truncating(budget: 600).AsChatHistoryReducer();

        var reduced = (await history.ReduceAsync(reducer, TestContext.Current.CancellationToken)).ToList();

        Assert.Equal(AuthorRole.User, history[5].Role);
        Assert.Same(history[5], reduced[1]);
    }

    [Fact]
    public async Task ChatHistoryReduceAsync_SemanticKernelFunctionCalls_StayWithTheirResults()
    {
        var history = History(turns: 30);
        var reducer = Truncating(budget: 500).AsChatHistoryReducer();

        var reduced = (await history.ReduceAsync(reducer, TestContext.Current.CancellationToken)).ToList();

        var calls = reduced.SelectMany(m => m.Items.OfType<Microsoft.SemanticKernel.FunctionCallContent>()).Select(c => c.Id).ToHashSet();
        var results = reduced.SelectMany(m => m.Items.OfType<Microsoft.SemanticKernel.FunctionResultContent>()).Select(r => r.CallId).ToHashSet();
        Assert.NotEmpty(calls);
        Assert.Equal(calls, results);
    }

    [Fact]
    public async Task ReduceInPlaceAsync_Summarizing_InsertsTheSummaryAsAUserMessageWithMetadata()
    {
        var history = History(turns: 30);
        using var summarizer = new FixedSummarizer();
        var reducer = new Llama4SummarizingChatReducer(summarizer, fixture.Engine, new() { TokenBudget = 900, SummaryMaxTokens = 60 }).AsChatHistoryReducer();

        var reduced = await history.ReduceInPlaceAsync(reducer, TestContext.Current.CancellationToken);

        Assert.True(reduced);
        Assert.Equal(AuthorRole.System, history[0].Role);
        Assert.Equal(AuthorRole.User, history[1].Role);
        Assert.Equal(true, history[1].Metadata![Llama4ChatReductionExtensions.SummaryPropertyKey]);
        Assert.EndsWith(FixedSummarizer.Text, history[1].Content, StringComparison.Ordinal);
        Assert.InRange(Count(history), 1, 900);
        Assert.True(summarizer.Calls >= 1);
    }

    [Fact]
    public void Constructor_NullReducer_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new ChatHistoryReducerAdapter(null!));

    private Llama4TruncatingChatReducer Truncating(int budget) => new(fixture.Engine, new() { TokenBudget = budget });

#pragma warning disable SKEXP0001 // Semantic Kernel's own conversion, as the adapter uses.
    private int Count(IEnumerable<ChatMessageContent> history) =>
        new Llama4ChatTokenCounter(fixture.Engine).CountTokens(history.Select(m => m.ToChatMessage()));
#pragma warning restore SKEXP0001

    private static ChatHistory History(int turns)
    {
        var history = new ChatHistory("You are a helpful assistant.");
        for (var turn = 0; turn < turns; turn++)
        {
            history.AddUserMessage($"Question {turn}: what is the weather in city {turn}, and should I bring an umbrella?");
            history.Add(new ChatMessageContent(AuthorRole.Assistant, [new Microsoft.SemanticKernel.FunctionCallContent("get_weather", "weather", $"call{turn}", new KernelArguments { ["city"] = $"city {turn}" })]));
            history.Add(new ChatMessageContent(AuthorRole.Tool, [new Microsoft.SemanticKernel.FunctionResultContent("get_weather", "weather", $"call{turn}", $"Rain in city {turn}, 14 degrees.")]));
            history.AddAssistantMessage($"Answer {turn}: it rains in city {turn}; bring an umbrella.");
        }

        return history;
    }

    private sealed class FixedSummarizer : IChatClient
    {
        public const string Text = "The user asked about the weather in many cities; it rained everywhere.";

        public int Calls { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Text)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
