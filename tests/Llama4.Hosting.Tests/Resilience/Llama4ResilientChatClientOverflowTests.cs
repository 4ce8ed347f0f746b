using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Hosting.Tests.Resilience;

/// <summary>The opt-in degradation path, on an engine whose context is small enough to overflow cheaply.</summary>
public sealed class Llama4ResilientChatClientOverflowTests : IAsyncLifetime
{
    private const int MaxOutputTokens = 16;

    private Llama4Engine? _engine;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Llama4Engine Engine => _engine!;

    public async ValueTask InitializeAsync()
    {
        var options = EngineFixture.CreateOptions(TinyModelFiles.Default);
        options.ContextSize = 512;
        options.MaxParallelSequences = 1;
        _engine = await Llama4Engine.LoadAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetResponseAsync_OverflowWithoutDegradation_FailsWithOverflow()
    {
        using var client = new Llama4ResilientChatClient(new Llama4ChatClient(Engine));

        await Assert.ThrowsAsync<Llama4ContextOverflowException>(() => client.GetResponseAsync(LongHistory(), Options(), Token));
    }

    [Fact]
    public async Task GetResponseAsync_OverflowWithDefaultReduction_DropsOnlyWhatIsOverAndAnswers()
    {
        using var client = new Llama4ResilientChatClient(new Llama4ChatClient(Engine), new Llama4ResilienceOptions { ReduceHistoryOnContextOverflow = true });
        var history = LongHistory();

        var response = await client.GetResponseAsync(history, Options(), Token);

        Assert.NotNull(response.FinishReason);
        var input = response.Usage!.InputTokenCount!.Value;
        Assert.InRange(input, 1, Engine.SequenceContextSize - MaxOutputTokens);

        // Token-exact: the reduced prompt is close to the limit, not cut to a fraction of it.
        Assert.True(input > (Engine.SequenceContextSize - MaxOutputTokens) / 2, $"the prompt was cut to {input} tokens");
    }

    [Fact]
    public async Task GetResponseAsync_OverflowWithCustomReducer_UsesItOnce()
    {
        var reducer = new CountingReducer();
        using var client = new Llama4ResilientChatClient(new Llama4ChatClient(Engine), new Llama4ResilienceOptions
        {
            ReduceHistoryOnContextOverflow = true,
            ContextOverflowReducer = reducer,
        });

        var response = await client.GetResponseAsync(LongHistory(), Options(), Token);

        Assert.NotNull(response.FinishReason);
        Assert.Equal(1, reducer.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_EngineKnownOnlyAfterTheClientWasBuilt_DefaultReductionStillWorks()
    {
        // A host that loads the model in the background builds the pipeline before the engine exists.
        var late = new LateEngineChatClient(new Llama4ChatClient(Engine));
        using var client = new Llama4ResilientChatClient(late, new Llama4ResilienceOptions { ReduceHistoryOnContextOverflow = true, MaxConcurrentRequests = 1 });
        late.EngineVisible = true;

        var response = await client.GetResponseAsync(LongHistory(), Options(), Token);

        Assert.NotNull(response.FinishReason);
        Assert.InRange(response.Usage!.InputTokenCount!.Value, 1, Engine.SequenceContextSize - MaxOutputTokens);
    }

    [Fact]
    public async Task GetResponseAsync_NoEngineAndNoReducer_FailsAtTheOverflowNamingTheSetting()
    {
        var hidden = new LateEngineChatClient(new Llama4ChatClient(Engine));
        using var client = new Llama4ResilientChatClient(hidden, new Llama4ResilienceOptions { ReduceHistoryOnContextOverflow = true, MaxConcurrentRequests = 1 });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync(LongHistory(), Options(), Token));

        Assert.Contains("ContextOverflowReducer", error.Message, StringComparison.Ordinal);
        Assert.IsType<Llama4ContextOverflowException>(error.InnerException);
    }

    private static ChatOptions Options() => new() { Seed = 1, MaxOutputTokens = MaxOutputTokens };

    private static List<ChatMessage> LongHistory()
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are a helpful assistant.") };
        for (var i = 0; i < 40; i++)
        {
            messages.Add(new(ChatRole.User, $"Question number {i}: what is the weather like in city number {i} today?"));
            messages.Add(new(ChatRole.Assistant, $"Answer number {i}: it is sunny in city number {i}, with a light breeze."));
        }

        messages.Add(new(ChatRole.User, "And tomorrow?"));
        return messages;
    }

    private sealed class CountingReducer : IChatReducer
    {
        public int Calls { get; private set; }

        public Task<IEnumerable<ChatMessage>> ReduceAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken)
        {
            Calls++;
            var list = messages.ToList();
            return Task.FromResult<IEnumerable<ChatMessage>>([list[0], list[^1]]);
        }
    }
}
