using Llama4.Testing;
using Llama4.TinyModel;

namespace Llama4.Core.Tests;

/// <summary>
/// Saving a conversation's KV state and restoring it in another engine (a process restart). "Token-identically" means
/// the same tokens; logits may differ in the last digits because the other cached sequences around the restored one
/// differ between engines (tolerance 1e-3).
/// </summary>
public sealed class Llama4EngineSessionTests(KvReuseFixture fixture) : IClassFixture<KvReuseFixture>
{
    private readonly Llama4Engine _engine = fixture.Reusing;

    [Fact]
    public async Task RestoreSessionAsync_InANewEngine_ContinuesTokenIdenticallyToTheUninterruptedConversation()
    {
        var chat = new Chat("Sessions: a conversation survives a restart.") { ConversationId = "restart-1" };
        chat.User("First question about trains.");
        await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);
        chat.Assistant("First answer.").User("Second question about buses.");
        var (second, _) = await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);
        using var saved = new MemoryStream();
        var info = await _engine.SaveSessionAsync("restart-1", saved, TestContext.Current.CancellationToken);
        chat.Assistant("Second answer.").User("Third question about boats.");

        await using var restarted = await Llama4Engine.LoadAsync(KvReuseFixture.Create(reuse: true), cancellationToken: TestContext.Current.CancellationToken);
        saved.Position = 0;
        var restored = await restarted.RestoreSessionAsync(saved, TestContext.Current.CancellationToken);
        var (afterRestart, restartLogits) = await Chat.RunAsync(restarted, chat.Request(), TestContext.Current.CancellationToken);
        var (uninterrupted, logits) = await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);

        Assert.Equal("restart-1", info.ConversationId);
        Assert.True(info.TokenCount >= second.Usage.PromptTokens);
        Assert.Equal(info, restored);
        Assert.Equal(1, restarted.GetStatistics().RequestsReusingCache);
        Assert.Equal(uninterrupted.Usage.CachedPromptTokens, afterRestart.Usage.CachedPromptTokens);
        Assert.True(afterRestart.Usage.CachedPromptTokens >= second.Usage.PromptTokens);
        Assert.Equal(uninterrupted.Text, afterRestart.Text);

        // The restored cells are the saved bytes; only the other sequences around them (and so the width of the attention
        // llama.cpp computes) differ between the two engines, which moves logits in the last digits.
        Assert.InRange(Chat.MaxDifference(logits, restartLogits), 0f, 1e-3f);
    }

    [Fact]
    public async Task SaveSessionAsync_ByPrompt_SavesTheSequenceWithTheLongestCommonPrefix()
    {
        var chat = new Chat("Sessions by prompt: no conversation id.").User("A question.");
        var (run, _) = await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);
        chat.Assistant(run.Text);
        using var saved = new MemoryStream();

        var info = await _engine.SaveSessionAsync(Llama4PromptFormatter.Format(chat.Messages, addGenerationPrompt: false), saved, TestContext.Current.CancellationToken);

        Assert.Null(info.ConversationId);
        Assert.Equal(run.Usage.PromptTokens + run.Usage.OutputTokens - 1, info.TokenCount);
        Assert.True(saved.Length > info.StateBytes);
    }

    [Fact]
    public async Task SaveSessionAsync_UnknownConversation_IsNotCached()
    {
        using var saved = new MemoryStream();

        var ex = await Assert.ThrowsAsync<Llama4SessionException>(() => _engine.SaveSessionAsync("never-ran", saved, TestContext.Current.CancellationToken));

        Assert.Equal(Llama4SessionProblem.NotCached, ex.Problem);
        Assert.Contains("never-ran", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreSessionAsync_OtherContextSize_IsRefusedAndTheEngineKeepsServing()
    {
        var saved = await SaveOneAsync("config-mismatch");
        await using var other = await Llama4Engine.LoadAsync(KvReuseFixture.Create(reuse: true, contextSize: 8192), cancellationToken: TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<Llama4SessionException>(() => other.RestoreSessionAsync(saved, TestContext.Current.CancellationToken));
        var (after, _) = await Chat.RunAsync(other, new Chat("Still serving.").User("Hi.").Request(), TestContext.Current.CancellationToken);

        Assert.Equal(Llama4SessionProblem.ConfigurationMismatch, ex.Problem);
        Assert.Contains("ContextSize: saved 16384, this engine 8192", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, other.GetStatistics().IdleSequences);
        Assert.True(after.Usage.OutputTokens > 0);
    }

    [Fact]
    public async Task RestoreSessionAsync_OtherKvCacheType_IsRefused()
    {
        var saved = await SaveOneAsync("type-mismatch");
        var options = KvReuseFixture.Create(reuse: true);
        options.KeyCacheType = Llama4KvCacheType.Q8_0;
        await using var other = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<Llama4SessionException>(() => other.RestoreSessionAsync(saved, TestContext.Current.CancellationToken));

        Assert.Equal(Llama4SessionProblem.ConfigurationMismatch, ex.Problem);
        Assert.Contains("KeyCacheType", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreSessionAsync_OtherModel_IsRefused()
    {
        var saved = await SaveOneAsync("model-mismatch");
        var options = KvReuseFixture.Create(reuse: true);
        options.ModelPath = TinyModelCache.GetOrCreate(TinyModelOptions.Default with { Seed = 2 });
        await using var other = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<Llama4SessionException>(() => other.RestoreSessionAsync(saved, TestContext.Current.CancellationToken));

        Assert.Equal(Llama4SessionProblem.ModelMismatch, ex.Problem);
    }

    [Fact]
    public async Task RestoreSessionAsync_DamagedFile_IsRefused()
    {
        var saved = await SaveOneAsync("damaged");
        var bytes = saved.ToArray();
        bytes[bytes.Length / 2] ^= 0x01;

        var ex = await Assert.ThrowsAsync<Llama4SessionException>(() => _engine.RestoreSessionAsync(new MemoryStream(bytes), TestContext.Current.CancellationToken));

        Assert.Equal(Llama4SessionProblem.Corrupt, ex.Problem);
    }

    [Fact]
    public async Task RestoreSessionAsync_FewerParallelSequences_StillContinuesIdentically()
    {
        var chat = new Chat("Sessions: restored into an engine with fewer slots.") { ConversationId = "fewer-slots" }.User("Question.");
        await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);
        using var saved = new MemoryStream();
        await _engine.SaveSessionAsync("fewer-slots", saved, TestContext.Current.CancellationToken);
        chat.Assistant("Answer.").User("Next.");
        await using var other = await Llama4Engine.LoadAsync(KvReuseFixture.Create(reuse: true, sequences: 2), cancellationToken: TestContext.Current.CancellationToken);
        saved.Position = 0;

        await other.RestoreSessionAsync(saved, TestContext.Current.CancellationToken);
        var (restored, restoredLogits) = await Chat.RunAsync(other, chat.Request(), TestContext.Current.CancellationToken);
        var (original, logits) = await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);

        Assert.Equal(original.Usage.CachedPromptTokens, restored.Usage.CachedPromptTokens);
        Assert.Equal(original.Text, restored.Text);
        Assert.InRange(Chat.MaxDifference(logits, restoredLogits), 0f, 1e-3f);
    }

    private async Task<MemoryStream> SaveOneAsync(string conversationId)
    {
        var chat = new Chat($"Sessions: {conversationId}.") { ConversationId = conversationId }.User("Hello.");
        await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);
        var saved = new MemoryStream();
        await _engine.SaveSessionAsync(conversationId, saved, TestContext.Current.CancellationToken);
        saved.Position = 0;
        return saved;
    }
}
