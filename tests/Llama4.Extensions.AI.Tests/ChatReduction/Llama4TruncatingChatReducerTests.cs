using System.Text.Json;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests.ChatReduction;

public sealed class Llama4TruncatingChatReducerTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private const string System = "You are a careful assistant. Answer briefly.";

    [Fact]
    public async Task ReduceAsync_UnderBudget_ReturnsTheSameMessages()
    {
        var messages = Conversations.Named("tool-round");
        var reducer = Create(budget: 10_000);

        var reduced = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.Equal(messages.Count, reduced.Count);
        Assert.All(messages, (m, i) => Assert.Same(m, reduced[i]));
    }

    [Fact]
    public async Task ReduceAsync_OverBudget_FitsTheBudgetAndKeepsSystemAndNewest()
    {
        var messages = History(turns: 40);
        var reducer = Create(budget: 1500);

        var reduced = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.True(Count(messages) > 1500);
        Assert.InRange(Count(reduced), 1, 1500);
        Assert.Same(messages[0], reduced[0]);
        Assert.Same(messages[^1], reduced[^1]);
        Assert.True(reduced.Count < messages.Count);
        ReductionAssert.IsOrderedSubsetOf(messages, reduced);
        ReductionAssert.ToolPairsIntact(messages, reduced);
        Assert.Equal(ChatRole.User, reduced[1].Role);
    }

    [Fact]
    public async Task ReduceAsync_AnEviction_GoesDownToTheTargetNotJustUnderTheBudget()
    {
        var messages = History(turns: 40);
        var reducer = Create(budget: 2000, target: 800);

        var reduced = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        // The last eviction brought the kept part to at most the target; later turns may have added to it since.
        Assert.InRange(Count(reduced), 1, 2000);
        Assert.Equal(2000, reducer.TokenBudget);
        Assert.Equal(800, reducer.TargetTokens);
        Assert.Equal(1000, Create(budget: 2000).TargetTokens);
    }

    [Fact]
    public async Task ReduceAsync_FullHistoryGrowingOverManyTurns_KeptPrefixStaysIdenticalBetweenReductions()
    {
        const int budget = 1800;
        var reducer = Create(budget);
        var history = new List<ChatMessage> { new(ChatRole.System, System) };
        List<ChatMessage>? previous = null;
        var reductions = 0;
        var totalTokens = 0;

        for (var turn = 0; turn < 150; turn++)
        {
            var added = Conversations.Turn(turn);
            history.AddRange(added);
            var reduced = (await reducer.ReduceAsync(history, TestContext.Current.CancellationToken)).ToList();

            Assert.InRange(Count(reduced), 1, budget);
            ReductionAssert.ToolPairsIntact(history, reduced);
            ReductionAssert.IsOrderedSubsetOf(history, reduced);
            Assert.Same(history[0], reduced[0]);
            if (previous is not null && !ReductionAssert.StartsWith(reduced, previous))
            {
                reductions++;
            }
            else if (previous is not null)
            {
                // No eviction: exactly the previous prompt plus this turn's messages.
                Assert.Equal(previous.Count + added.Count, reduced.Count);
            }

            previous = reduced;
            totalTokens = Count(history);
        }

        // Each eviction frees about half the budget, so the prompt changes rarely: never more than once per
        // (budget - target) tokens of new conversation, plus the first.
        Assert.InRange(reductions, 2, (totalTokens / (budget / 2)) + 1);
    }

    [Fact]
    public async Task ReduceAsync_ReducedHistoryFedBack_GivesTheSameResultAsTheFullHistory()
    {
        var reducer = Create(budget: 1500);
        var full = new List<ChatMessage> { new(ChatRole.System, System) };
        var carried = new List<ChatMessage> { full[0] };

        for (var turn = 0; turn < 100; turn++)
        {
            var added = Conversations.Turn(turn);
            full.AddRange(added);
            carried.AddRange(added);
            var fromFull = (await reducer.ReduceAsync(full, TestContext.Current.CancellationToken)).ToList();
            carried = (await reducer.ReduceAsync(carried, TestContext.Current.CancellationToken)).ToList();

            Assert.Equal(fromFull, carried);
        }
    }

    [Fact]
    public async Task ReduceAsync_SameHistoryTwice_GivesTheSameMessages()
    {
        var messages = History(turns: 30);
        var reducer = Create(budget: 1200);

        var first = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();
        var second = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ReduceAsync_PinnedMessages_AreKeptInPlace()
    {
        var messages = History(turns: 40);
        var pinned = messages[3].PinForChatReduction();
        messages[9].AdditionalProperties = new() { [Llama4ChatReductionExtensions.PinnedPropertyKey] = true };
        var reducer = Create(budget: 1500);

        var reduced = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.Same(pinned, reduced[1]);
        Assert.Same(messages[9], reduced[2]);
        Assert.InRange(Count(reduced), 1, 1500);
        ReductionAssert.ToolPairsIntact(messages, reduced);
    }

    [Fact]
    public async Task ReduceAsync_HistoryAfterJsonRoundTrip_StillHonoursPins()
    {
        var original = History(turns: 40);
        original[5].PinForChatReduction();
        var json = JsonSerializer.Serialize(original, AIJsonUtilities.DefaultOptions);
        var messages = JsonSerializer.Deserialize<List<ChatMessage>>(json, AIJsonUtilities.DefaultOptions)!;
        var reducer = Create(budget: 1500);

        var reduced = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.IsType<JsonElement>(messages[5].AdditionalProperties![Llama4ChatReductionExtensions.PinnedPropertyKey]);
        Assert.True(messages[5].IsPinnedForChatReduction());
        Assert.Contains(messages[5], reduced);
        Assert.True(reduced.Count < messages.Count);
    }

    [Fact]
    public async Task ReduceAsync_PinnedToolResult_KeepsItsWholeToolGroup()
    {
        var messages = History(turns: 40);
        var resultIndex = messages.FindIndex(m => m.Role == ChatRole.Tool);
        messages[resultIndex].PinForChatReduction();
        var callId = messages[resultIndex].Contents.OfType<FunctionResultContent>().Single().CallId;
        var reducer = Create(budget: 1500);

        var reduced = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.Contains(reduced, m => m.Contents.OfType<FunctionCallContent>().Any(c => c.CallId == callId));
        Assert.Contains(messages[resultIndex], reduced);
        ReductionAssert.ToolPairsIntact(messages, reduced);
    }

    [Fact]
    public async Task ReduceAsync_ToolGroupWithTextBetweenCallAndResult_IsKeptOrDroppedWhole()
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, System) };
        for (var i = 0; i < 30; i++)
        {
            messages.Add(new ChatMessage(ChatRole.User, $"Round {i}: do the thing with all the details you can think of, please, and then some."));
            messages.Add(new ChatMessage(ChatRole.Assistant, [Conversations.Call($"r{i}a", "first", i), Conversations.Call($"r{i}b", "second", i)]));
            messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent($"r{i}a", $"first result {i}")]));
            messages.Add(new ChatMessage(ChatRole.Assistant, "Still waiting for the second tool."));
            messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent($"r{i}b", $"second result {i}")]));
        }

        for (var budget = 300; budget <= 1500; budget += 97)
        {
            var reduced = (await Create(budget).ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

            ReductionAssert.ToolPairsIntact(messages, reduced);
            Assert.InRange(Count(reduced), 1, budget);
            Assert.DoesNotContain(reduced, m => m.Text == "Still waiting for the second tool." && !reduced.Contains(messages[messages.IndexOf(m) - 2]));
        }
    }

    [Fact]
    public async Task ReduceAsync_ApprovalRequestAndResponse_AreKeptOrDroppedWithTheirCall()
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, System) };
        for (var i = 0; i < 30; i++)
        {
            var call = Conversations.Call($"a{i}", "request_refund", i);
            var request = new ToolApprovalRequestContent($"approval-{i}", call);
            messages.Add(new ChatMessage(ChatRole.User, $"Round {i}: refund order {i}, with every detail you can think of, please."));
            messages.Add(new ChatMessage(ChatRole.Assistant, [request]));
            messages.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: i % 2 == 0)]));
            messages.Add(new ChatMessage(ChatRole.Assistant, [call]));
            messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent($"a{i}", $"refund {i} done")]));
        }

        for (var budget = 300; budget <= 1500; budget += 97)
        {
            var reduced = (await Create(budget).ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

            Assert.InRange(Count(reduced), 1, budget);
            for (var i = 0; i < 30; i++)
            {
                var round = messages.GetRange(2 + (i * 5), 4);
                Assert.True(round.All(reduced.Contains) || !round.Any(reduced.Contains), $"Round {i} was split at budget {budget}.");
            }
        }
    }

    [Fact]
    public async Task ReduceAsync_OrphanResultAndPendingCall_AreHandledAsTheirOwnGroups()
    {
        var messages = History(turns: 30);
        messages.Insert(3, new ChatMessage(ChatRole.Tool, [new FunctionResultContent("orphan", "a result whose call is gone")]));
        messages.Add(new ChatMessage(ChatRole.Assistant, [Conversations.Call("pending", "lookup", "x")]));
        var reducer = Create(budget: 1200);

        var reduced = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.DoesNotContain(messages[3], reduced);
        Assert.Same(messages[^1], reduced[^1]);
        Assert.InRange(Count(reduced), 1, 1200);
    }

    [Fact]
    public async Task ReduceAsync_MandatoryMessagesOverBudget_ThrowsWithCounts()
    {
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, string.Concat(Enumerable.Repeat("A very long system prompt. ", 80))),
            new(ChatRole.User, "Hi"),
        };
        var reducer = Create(budget: 200);

        var error = await Assert.ThrowsAsync<Llama4ChatReductionException>(() => reducer.ReduceAsync(messages, TestContext.Current.CancellationToken));

        Assert.Equal(200, error.TokenBudget);
        Assert.Equal(Count(messages), error.RequiredTokens);
        Assert.Contains("TokenBudget", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReduceAsync_NewestMessageAloneOverBudget_Throws()
    {
        var messages = History(turns: 5);
        messages.Add(new ChatMessage(ChatRole.User, string.Concat(Enumerable.Repeat("Read this long document. ", 200))));
        var reducer = Create(budget: 400);

        var error = await Assert.ThrowsAsync<Llama4ChatReductionException>(() => reducer.ReduceAsync(messages, TestContext.Current.CancellationToken));

        Assert.Equal(Count([messages[0], messages[^1]]), error.RequiredTokens);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(-5, null)]
    [InlineData(100, 0)]
    [InlineData(100, 101)]
    public void Constructor_InvalidOptions_ThrowsNamingTheProblem(int budget, int? target)
    {
        var error = Assert.Throws<ArgumentException>(() => new Llama4TruncatingChatReducer(fixture.Engine, new() { TokenBudget = budget, TargetTokens = target }));

        Assert.Contains(budget < 1 ? "TokenBudget" : "TargetTokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_OptionsChangedLater_HaveNoEffect()
    {
        var options = new Llama4TruncatingChatReducerOptions { TokenBudget = 1000 };
        var reducer = new Llama4TruncatingChatReducer(fixture.Engine, options);

        options.TokenBudget = 10;

        Assert.Equal(1000, reducer.TokenBudget);
    }

    [Fact]
    public async Task ReduceAsync_NullMessage_Throws()
    {
        var reducer = Create(budget: 1000);

        await Assert.ThrowsAsync<ArgumentNullException>(() => reducer.ReduceAsync([new ChatMessage(ChatRole.User, "x"), null!], TestContext.Current.CancellationToken));
    }

    private Llama4TruncatingChatReducer Create(int budget, int? target = null) =>
        new(fixture.Engine, new Llama4TruncatingChatReducerOptions { TokenBudget = budget, TargetTokens = target });

    private int Count(IEnumerable<ChatMessage> messages) => new Llama4ChatTokenCounter(fixture.Engine).CountTokens(messages);

    private static List<ChatMessage> History(int turns) =>
        [new(ChatRole.System, System), .. Enumerable.Range(0, turns).SelectMany(Conversations.Turn)];
}
