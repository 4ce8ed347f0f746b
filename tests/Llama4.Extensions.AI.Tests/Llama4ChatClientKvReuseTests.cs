using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests;

/// <summary>KV reuse, context overflow and sessions through <see cref="Llama4ChatClient"/>, on real inference.</summary>
public sealed class Llama4ChatClientKvReuseTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task GetResponseAsync_SecondTurn_ReportsTheReusedPromptAsCachedInput()
    {
        using var client = new Llama4ChatClient(fixture.Engine);
        List<ChatMessage> history = [new(ChatRole.System, "Client reuse: a second turn."), new(ChatRole.User, "First question.")];
        var first = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 5, Seed = 1 }, TestContext.Current.CancellationToken);
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, "Second question."));

        var second = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 5, Seed = 1 }, TestContext.Current.CancellationToken);

        Assert.True(second.Usage!.CachedInputTokenCount >= first.Usage!.InputTokenCount - 1);
        Assert.True(second.Usage.CachedInputTokenCount < second.Usage.InputTokenCount);
        Assert.Null(second.ConversationId);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ConversationId_IsCacheAffinityAndNotEchoed()
    {
        using var client = new Llama4ChatClient(fixture.Engine);
        ChatMessage[] history = [new(ChatRole.System, "Client reuse: a conversation id."), new(ChatRole.User, "Hello.")];
        var options = new ChatOptions { MaxOutputTokens = 4, ConversationId = "client-affinity" };

        var updates = await client.GetStreamingResponseAsync(history, options, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        using var saved = new MemoryStream();
        var info = await client.SaveSessionAsync(history, saved, options, TestContext.Current.CancellationToken);

        Assert.All(updates, u => Assert.Null(u.ConversationId));
        Assert.Equal("client-affinity", info.ConversationId);
    }

    [Fact]
    public async Task GetResponseAsync_OverflowWithRejectPolicy_ThrowsWithCounts()
    {
        await using var engine = await Llama4Engine.LoadAsync(SmallContext(), cancellationToken: TestContext.Current.CancellationToken);
        using var client = new Llama4ChatClient(engine);

        var ex = await Assert.ThrowsAsync<Llama4ContextOverflowException>(() => client.GetResponseAsync(LongHistory(engine, turns: 40), new ChatOptions { MaxOutputTokens = 16 }, TestContext.Current.CancellationToken));

        Assert.Equal(512, ex.ContextSize);
        Assert.Equal(16, ex.ReservedOutputTokens);
        Assert.True(ex.PromptTokens + 16 > 512);
    }

    [Fact]
    public async Task GetResponseAsync_OverflowWithTruncatePolicy_DropsOldestTurnsAndKeepsTheSystemMessage()
    {
        await using var engine = await Llama4Engine.LoadAsync(SmallContext(), cancellationToken: TestContext.Current.CancellationToken);
        using var client = new Llama4ChatClient(engine, new Llama4ChatClientOptions { ContextOverflow = Llama4ContextOverflowPolicy.TruncateHistory });
        var history = LongHistory(engine, turns: 40);
        var counter = new Llama4ChatTokenCounter(engine);

        var first = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 16 }, TestContext.Current.CancellationToken);
        history.Add(new ChatMessage(ChatRole.Assistant, "A stored reply."));
        history.Add(new ChatMessage(ChatRole.User, "One more question."));
        var second = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 16 }, TestContext.Current.CancellationToken);

        Assert.True(counter.CountTokens(history) + 16 > 512);
        Assert.InRange(first.Usage!.InputTokenCount!.Value + 16, 1, 512);
        Assert.True(first.Usage.InputTokenCount < counter.CountTokens(history) / 2);

        // The next turn keeps the same cut, so everything the first turn sent is still a cached prefix.
        Assert.True(second.Usage!.CachedInputTokenCount >= first.Usage.InputTokenCount - 1);
    }

    [Fact]
    public async Task GetResponseAsync_OverflowThatTruncationCannotFix_ThrowsWithCounts()
    {
        await using var engine = await Llama4Engine.LoadAsync(SmallContext(), cancellationToken: TestContext.Current.CancellationToken);
        using var client = new Llama4ChatClient(engine, new Llama4ChatClientOptions { ContextOverflow = Llama4ContextOverflowPolicy.TruncateHistory });
        List<ChatMessage> history = [new(ChatRole.System, string.Join(' ', Enumerable.Repeat("a very long system prompt", 200))), new(ChatRole.User, "Hi.")];

        var ex = await Assert.ThrowsAsync<Llama4ContextOverflowException>(() => client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 16 }, TestContext.Current.CancellationToken));

        Assert.True(ex.PromptTokens > 512);
        Assert.IsType<Llama4ChatReductionException>(ex.InnerException);
    }

    [Fact]
    public async Task RestoreSessionAsync_InAnotherEngine_NextTurnReusesTheRestoredHistory()
    {
        using var client = new Llama4ChatClient(fixture.Engine);
        List<ChatMessage> history = [new(ChatRole.System, "Client sessions: saved and restored."), new(ChatRole.User, "Remember this.")];
        var reply = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 6, Seed = 3 }, TestContext.Current.CancellationToken);
        history.AddRange(reply.Messages);
        using var saved = new MemoryStream();
        await client.SaveSessionAsync(history, saved, cancellationToken: TestContext.Current.CancellationToken);

        await using var restarted = await Llama4Engine.LoadAsync(EngineFixture.CreateOptions(fixture.ModelPath), cancellationToken: TestContext.Current.CancellationToken);
        using var restartedClient = new Llama4ChatClient(restarted);
        saved.Position = 0;
        await restartedClient.RestoreSessionAsync(saved, TestContext.Current.CancellationToken);
        history.Add(new ChatMessage(ChatRole.User, "What did I say?"));
        var next = await restartedClient.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 4 }, TestContext.Current.CancellationToken);

        Assert.True(next.Usage!.CachedInputTokenCount >= reply.Usage!.InputTokenCount - 1);
    }

    private static Llama4EngineOptions SmallContext()
    {
        var options = EngineFixture.CreateOptions(TinyModelFiles.Default);
        options.ContextSize = 512;
        options.MaxParallelSequences = 2;
        return options;
    }

    private static List<ChatMessage> LongHistory(Llama4Engine engine, int turns)
    {
        List<ChatMessage> history = [new(ChatRole.System, "Overflow: a long conversation in a small context.")];
        for (var i = 0; i < turns; i++)
        {
            history.Add(new ChatMessage(ChatRole.User, $"Question {i} about the weather in town {i}."));
            history.Add(new ChatMessage(ChatRole.Assistant, $"Answer {i}: sunny."));
        }

        history.Add(new ChatMessage(ChatRole.User, "And tomorrow?"));
        Assert.True(new Llama4ChatTokenCounter(engine).CountTokens(history) > 512);
        return history;
    }
}
