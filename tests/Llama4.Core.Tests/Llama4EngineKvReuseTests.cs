namespace Llama4.Core.Tests;

/// <summary>
/// KV-cache reuse across requests, on real inference with the tiny model. Each test uses its own system prompt so that
/// tests sharing the fixture do not reuse each other's sequences by accident.
/// </summary>
public sealed class Llama4EngineKvReuseTests(KvReuseFixture fixture) : IClassFixture<KvReuseFixture>
{
    /// <summary>
    /// How far first-step logits may differ between a run that reused cached cells and the same prompt processed from
    /// scratch: llama.cpp's CPU arithmetic depends on the batch shape (a 1-row decode after a cached prefix versus a
    /// 512-row prefill), which moves logits by about 1e-3 on the tiny model.
    /// </summary>
    private const float LogitTolerance = 5e-3f;

    private readonly Llama4Engine _engine = fixture.Reusing;
    private readonly Llama4Engine _stateless = fixture.Stateless;

    [Fact]
    public async Task GenerateAsync_TwentyTurns_EachTurnDecodesOnlyItsNewTokens()
    {
        var chat = new Chat("Twenty turns: you answer questions about the weather.");
        var previousPromptTokens = 0;
        for (var turn = 1; turn <= 20; turn++)
        {
            chat.User($"Question {turn}: will it rain in city number {turn * 7}?");
            var prompt = chat.Prompt();
            var before = _engine.GetStatistics();

            var (result, _) = await Chat.RunAsync(_engine, chat.Request(maxOutputTokens: 4), TestContext.Current.CancellationToken);

            var after = _engine.GetStatistics();
            var usage = result.Usage;
            Assert.Equal(_engine.CountTokens(prompt), usage.PromptTokens);
            Assert.Equal(usage.PromptTokens - usage.CachedPromptTokens, after.PromptTokensProcessed - before.PromptTokensProcessed);
            if (turn > 1)
            {
                // The whole previous prompt is reused (plus any reply tokens the app's stored reply shares with what the
                // model generated); only the stored reply, the new question and the assistant header are decoded.
                Assert.InRange(usage.CachedPromptTokens, previousPromptTokens, previousPromptTokens + 3);
                Assert.True(usage.PromptTokens - usage.CachedPromptTokens <= usage.PromptTokens - previousPromptTokens);
            }

            chat.Assistant($"Stored reply {turn}.");
            previousPromptTokens = usage.PromptTokens;
        }
    }

    [Fact]
    public async Task GenerateAsync_ModelsOwnReplySentBack_ReusesPromptAndReply()
    {
        var chat = new Chat("Own replies: the app sends back exactly what the model wrote.");
        chat.User("Say something.");
        var (first, _) = await Chat.RunAsync(_engine, chat.Request(maxOutputTokens: 12), TestContext.Current.CancellationToken);
        chat.Assistant(first.Text).User("And then?");

        var (second, _) = await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);

        // The reply re-tokenizes as the model produced it wherever its text survived decoding (random weights emit
        // partial UTF-8); the previous prompt's final "\n\n" can merge with a reply that starts with a newline.
        Assert.True(second.Usage.CachedPromptTokens >= first.Usage.PromptTokens - 1);
    }

    [Fact]
    public async Task GenerateAsync_RepeatedRequest_ReusesAllButTheLastPromptToken()
    {
        var chat = new Chat("Repeat: the same request twice.").User("Hello there.");
        await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);

        var (again, _) = await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);

        Assert.Equal(again.Usage.PromptTokens - 1, again.Usage.CachedPromptTokens);
    }

    [Fact]
    public async Task GenerateAsync_EditedEarlierMessage_ReprocessesFromTheDivergenceAndMatchesAFreshRun()
    {
        var chat = new Chat("Edits: the user rewrites an earlier message.");
        for (var turn = 1; turn <= 4; turn++)
        {
            chat.User($"Message {turn} about apples and pears.").Assistant($"Reply {turn}.");
        }

        chat.User("Final question.");
        var original = chat.Prompt();
        await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);

        chat.Replace(3, new Llama4Message(Llama4Role.User, "Message 2 rewritten about plums."));
        var edited = chat.Prompt();
        var (result, logits) = await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);
        var (fresh, freshLogits) = await Chat.RunAsync(_stateless, chat.Request(), TestContext.Current.CancellationToken);

        Assert.Equal(Chat.CommonPrefix(_engine, original, edited), result.Usage.CachedPromptTokens);
        Assert.True(result.Usage.CachedPromptTokens < _engine.CountTokens(original) / 2);
        Assert.Equal(0, fresh.Usage.CachedPromptTokens);
        Assert.InRange(Chat.MaxDifference(logits, freshLogits), 0f, LogitTolerance);
        Assert.Equal(fresh.Text, result.Text);
    }

    [Fact]
    public async Task GenerateAsync_NewConversationWithSamePreamble_SharesItAndKeepsTheFirstConversationCached()
    {
        const string System = "Preamble: a long shared system prompt for a support bot that handles orders, refunds, shipping questions and returns.";
        var first = new Chat(System).User("Where is my order?").Assistant("Checking.").User("Order 12.");
        var (firstRun, _) = await Chat.RunAsync(_engine, first.Request(), TestContext.Current.CancellationToken);

        var second = new Chat(System).User("Can I return shoes?");
        var (secondRun, secondLogits) = await Chat.RunAsync(_engine, second.Request(), TestContext.Current.CancellationToken);
        var (_, freshLogits) = await Chat.RunAsync(_stateless, second.Request(), TestContext.Current.CancellationToken);

        // The second conversation reuses the shared system turn (a copy of the first one's cells), not more.
        var shared = Chat.CommonPrefix(_engine, first.Prompt(), second.Prompt());
        Assert.True(shared > 20);
        Assert.Equal(shared, secondRun.Usage.CachedPromptTokens);
        Assert.InRange(Chat.MaxDifference(secondLogits, freshLogits), 0f, LogitTolerance);

        // The first conversation's own sequence was not taken over: its next turn reuses its whole history.
        first.Assistant("Found it.").User("Thanks.");
        var (firstNext, _) = await Chat.RunAsync(_engine, first.Request(), TestContext.Current.CancellationToken);
        Assert.True(firstNext.Usage.CachedPromptTokens >= firstRun.Usage.PromptTokens);
    }

    [Fact]
    public async Task GenerateAsync_ConversationIds_NeverTakeOverAnotherConversationsSequence()
    {
        // Identical prompts, different conversation ids: the second forks the first's cells instead of taking them.
        var a = new Chat("Ids: two users ask the same thing.") { ConversationId = "user-a" }.User("Same question.");
        var b = new Chat("Ids: two users ask the same thing.") { ConversationId = "user-b" }.User("Same question.");
        var (aFirst, _) = await Chat.RunAsync(_engine, a.Request(), TestContext.Current.CancellationToken);

        var (bFirst, _) = await Chat.RunAsync(_engine, b.Request(), TestContext.Current.CancellationToken);
        a.Assistant("Answer for a.").User("Follow-up from a.");
        var (aNext, _) = await Chat.RunAsync(_engine, a.Request(), TestContext.Current.CancellationToken);

        Assert.Equal(bFirst.Usage.PromptTokens - 1, bFirst.Usage.CachedPromptTokens);
        Assert.True(aNext.Usage.CachedPromptTokens >= aFirst.Usage.PromptTokens);
    }

    [Fact]
    public async Task GenerateAsync_ConcurrentConversations_MatchTheSameConversationsRunAlone()
    {
        // Two pairs of conversations share a system prompt (so forks and shared cells run concurrently), all four run
        // three turns at once; the reference runs each conversation alone on the stateless engine.
        string[] systems = ["Concurrency: shared system prompt one.", "Concurrency: shared system prompt one.", "Concurrency: prompt two.", "Concurrency: prompt three, a little longer than the others."];
        var chats = systems.Select((s, i) => new Chat(s).User($"Opening message of conversation {i}.")).ToArray();
        var references = systems.Select((s, i) => new Chat(s).User($"Opening message of conversation {i}.")).ToArray();
        for (var turn = 0; turn < 3; turn++)
        {
            var concurrent = await Task.WhenAll(chats.Select(c => Chat.RunAsync(_engine, c.Request(maxOutputTokens: 8), TestContext.Current.CancellationToken)));
            for (var i = 0; i < chats.Length; i++)
            {
                var (alone, aloneLogits) = await Chat.RunAsync(_stateless, references[i].Request(maxOutputTokens: 8), TestContext.Current.CancellationToken);
                Assert.InRange(Chat.MaxDifference(concurrent[i].Logits, aloneLogits), 0f, LogitTolerance);
                Assert.Equal(alone.Text, concurrent[i].Result.Text);
                if (turn > 0)
                {
                    Assert.True(concurrent[i].Result.Usage.CachedPromptTokens > 0);
                }

                chats[i].Assistant($"Reply {turn} in conversation {i}.").User($"Turn {turn + 1} of conversation {i}.");
                references[i].Assistant($"Reply {turn} in conversation {i}.").User($"Turn {turn + 1} of conversation {i}.");
            }
        }
    }

    [Fact]
    public async Task GenerateAsync_Cancelled_LeavesThePromptCachedForTheRetry()
    {
        var chat = new Chat("Cancel: the user stops the reply and retries.").User("Write a long story.");
        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            var updates = 0;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var update in _engine.GenerateAsync(chat.Request(maxOutputTokens: 200), cancel.Token))
                {
                    if (++updates == 3)
                    {
                        await cancel.CancelAsync();
                    }
                }
            });
        }

        var (retry, _) = await Chat.RunAsync(_engine, chat.Request(), TestContext.Current.CancellationToken);

        Assert.Equal(retry.Usage.PromptTokens - 1, retry.Usage.CachedPromptTokens);
    }

    [Fact]
    public async Task GenerateAsync_ReuseDisabled_DecodesEveryPromptInFull()
    {
        var chat = new Chat("Stateless: reuse is off.").User("Hello.");

        var (first, _) = await Chat.RunAsync(_stateless, chat.Request(), TestContext.Current.CancellationToken);
        var (second, _) = await Chat.RunAsync(_stateless, chat.Request(), TestContext.Current.CancellationToken);

        Assert.Equal(0, first.Usage.CachedPromptTokens);
        Assert.Equal(0, second.Usage.CachedPromptTokens);
        Assert.Equal(0, _stateless.GetStatistics().IdleSequences);
    }

    [Fact]
    public async Task GenerateAsync_MoreConversationsThanSlots_EvictsLeastRecentlyUsed()
    {
        await using var engine = await Llama4Engine.LoadAsync(KvReuseFixture.Create(reuse: true, sequences: 2, contextSize: 4096), cancellationToken: TestContext.Current.CancellationToken);
        string[] systems = ["Alpha is the first assistant.", "Bravo answers second.", "Charlie comes third."];
        var chats = systems.Select(s => new Chat(s).User("Hi.")).ToArray();
        foreach (var chat in chats)
        {
            await Chat.RunAsync(engine, chat.Request(), TestContext.Current.CancellationToken);
        }

        var statistics = engine.GetStatistics();
        chats[2].Assistant("Hello.").User("Again.");
        var (newest, _) = await Chat.RunAsync(engine, chats[2].Request(), TestContext.Current.CancellationToken);
        chats[0].Assistant("Hello.").User("Again.");
        var (oldest, _) = await Chat.RunAsync(engine, chats[0].Request(), TestContext.Current.CancellationToken);

        Assert.Equal(2, statistics.IdleSequences);
        Assert.True(statistics.EvictedSequences >= 1, $"evicted {statistics.EvictedSequences}");
        Assert.True(newest.Usage.CachedPromptTokens > 20, "the most recent conversation stays cached");
        Assert.True(oldest.Usage.CachedPromptTokens < 10, $"the least recently used conversation was evicted (cached {oldest.Usage.CachedPromptTokens} of {oldest.Usage.PromptTokens}, evicted {statistics.EvictedSequences})");
    }

    [Fact]
    public async Task GenerateAsync_ContextFullOfIdleSequences_EvictsThemForANewRequest()
    {
        await using var engine = await Llama4Engine.LoadAsync(KvReuseFixture.Create(reuse: true, sequences: 4, contextSize: 1024), cancellationToken: TestContext.Current.CancellationToken);
        string Filler(int tokens)
        {
            var words = new List<string>();
            while (engine.CountTokens(string.Join(' ', words)) < tokens)
            {
                words.Add($"w{words.Count % 10}");
            }

            return string.Join(' ', words);
        }

        for (var i = 0; i < 3; i++)
        {
            await Chat.RunAsync(engine, new Chat($"Memory {i}: {Filler(250)}").User("Hi.").Request(), TestContext.Current.CancellationToken);
        }

        var before = engine.GetStatistics();
        var (big, _) = await Chat.RunAsync(engine, new Chat($"Memory big: {Filler(600)}").User("Hi.").Request(), TestContext.Current.CancellationToken);
        var after = engine.GetStatistics();

        Assert.Equal(3, before.IdleSequences);
        Assert.True(before.KvCellsInUse > 1024 - big.Usage.PromptTokens, "the idle sequences held the room the new request needs");
        Assert.True(after.EvictedSequences > before.EvictedSequences);
        Assert.InRange(after.KvCellsInUse, 0, 1024);
    }

    [Fact]
    public async Task GenerateAsync_OneKvStreamPerSequence_ReusesAndForksCorrectly()
    {
        var options = KvReuseFixture.Create(reuse: true, sequences: 4, contextSize: 8192);
        options.UnifiedKvCache = false;
        await using var engine = await Llama4Engine.LoadAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        const string System = "Streams: one KV stream per sequence, copied whole when a prefix is shared.";
        var first = new Chat(System).User("First conversation.");
        var (firstRun, _) = await Chat.RunAsync(engine, first.Request(), TestContext.Current.CancellationToken);

        var second = new Chat(System).User("Second conversation.");
        var (secondRun, secondLogits) = await Chat.RunAsync(engine, second.Request(), TestContext.Current.CancellationToken);
        var (_, freshLogits) = await Chat.RunAsync(_stateless, second.Request(), TestContext.Current.CancellationToken);
        first.Assistant("Reply.").User("Next.");
        var (firstNext, firstLogits) = await Chat.RunAsync(engine, first.Request(), TestContext.Current.CancellationToken);
        var (_, firstFreshLogits) = await Chat.RunAsync(_stateless, first.Request(), TestContext.Current.CancellationToken);

        Assert.Equal(Chat.CommonPrefix(engine, first.Prompt(), second.Prompt()), secondRun.Usage.CachedPromptTokens);
        Assert.InRange(Chat.MaxDifference(secondLogits, freshLogits), 0f, LogitTolerance);
        Assert.True(firstNext.Usage.CachedPromptTokens >= firstRun.Usage.PromptTokens);
        Assert.InRange(Chat.MaxDifference(firstLogits, firstFreshLogits), 0f, LogitTolerance);
    }
}
