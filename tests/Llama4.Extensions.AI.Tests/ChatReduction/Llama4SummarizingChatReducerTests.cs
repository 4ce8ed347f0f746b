using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests.ChatReduction;

/// <summary>The summarizing reducer's logic with a scripted summarizer; token counts are the real engine's.</summary>
public sealed class Llama4SummarizingChatReducerTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private const string System = "You are a careful assistant. Answer briefly.";

    [Fact]
    public async Task ReduceAsync_UnderBudget_ReturnsTheSameMessagesWithoutAskingForASummary()
    {
        var summarizer = new ScriptedSummarizer();
        var messages = History(turns: 2);

        var reduced = (await Create(summarizer, budget: 10_000).ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.Equal(messages, reduced);
        Assert.Equal(0, summarizer.Calls);
    }

    [Fact]
    public async Task ReduceAsync_OverBudget_PutsOneSummaryUserMessageRightAfterTheSystemMessage()
    {
        var summarizer = new ScriptedSummarizer();
        var messages = History(turns: 30);
        var reducer = Create(summarizer, budget: 2000);

        var reduced = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.Same(messages[0], reduced[0]);
        var summary = reduced[1];
        Assert.True(summary.IsChatReductionSummary());
        Assert.Equal(ChatRole.User, summary.Role);
        Assert.StartsWith(Llama4SummarizingChatReducer.SummaryPrefix, summary.Text, StringComparison.Ordinal);
        Assert.EndsWith(": the user asked questions and got answers.", summary.Text, StringComparison.Ordinal);
        Assert.Single(reduced, m => m.IsChatReductionSummary());
        Assert.Equal(ChatRole.User, reduced[2].Role);
        Assert.Same(messages[^1], reduced[^1]);
        Assert.InRange(Count(reduced), 1, 2000);
        ReductionAssert.IsOrderedSubsetOf(messages, reduced);
        ReductionAssert.ToolPairsIntact(messages, reduced);
    }

    [Fact]
    public async Task ReduceAsync_SummaryRequest_HasTheInstructionsTheEvictedMessagesAndTheOutputLimit()
    {
        var summarizer = new ScriptedSummarizer();
        var messages = History(turns: 12);
        var reducer = Create(summarizer, budget: 2000, summaryMaxTokens: 77, instructions: "Summarize tersely.");

        var reduced = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.NotEmpty(summarizer.Requests);
        foreach (var (request, options) in summarizer.Requests)
        {
            Assert.Equal(77, options!.MaxOutputTokens);
            Assert.Equal([ChatRole.System, ChatRole.User], request.Select(m => m.Role));
            Assert.Equal("Summarize tersely.", request[0].Text);
        }

        var transcripts = string.Join("\n", summarizer.Requests.Select(r => r.Messages[1].Text));
        var evicted = messages.Skip(1).Where(m => !reduced.Contains(m)).ToList();
        Assert.NotEmpty(evicted);
        foreach (var message in evicted.Where(m => m.Role == ChatRole.User))
        {
            Assert.Contains("User: " + message.Text, transcripts, StringComparison.Ordinal);
        }

        Assert.Contains("Assistant called lookup(value=", transcripts, StringComparison.Ordinal);
        Assert.Contains("Tool result: ", transcripts, StringComparison.Ordinal);
        Assert.DoesNotContain(messages[^1].Text, transcripts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReduceAsync_SameHistoryAgain_ReusesTheCachedSummaryWithoutAskingAgain()
    {
        var summarizer = new ScriptedSummarizer();
        var messages = History(turns: 30);
        var reducer = Create(summarizer, budget: 2000);

        var first = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();
        var calls = summarizer.Calls;
        var second = (await reducer.ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.Equal(calls, summarizer.Calls);
        Assert.Equal(first[1].Text, second[1].Text);
        Assert.Equal(first.Skip(2), second.Skip(2));
    }

    [Fact]
    public async Task ReduceAsync_GrowingHistory_SummarizesOncePerEvictionStepAndKeepsThePrefixBetweenSteps()
    {
        const int budget = 2400;
        var summarizer = new ScriptedSummarizer();
        var reducer = Create(summarizer, budget);
        var history = new List<ChatMessage> { new(ChatRole.System, System) };
        List<ChatMessage>? previous = null;
        var reductions = 0;

        for (var turn = 0; turn < 80; turn++)
        {
            var added = Conversations.Turn(turn);
            history.AddRange(added);
            var reduced = (await reducer.ReduceAsync(history, TestContext.Current.CancellationToken)).ToList();

            Assert.InRange(Count(reduced), 1, budget);
            ReductionAssert.ToolPairsIntact(history, reduced);
            Assert.True(reduced.Count(m => m.IsChatReductionSummary()) <= 1);
            if (previous is not null && !ReductionAssert.StartsWith(reduced, previous))
            {
                reductions++;
            }

            previous = reduced;
        }

        Assert.InRange(reductions, 2, 40);
        // One model call per eviction step; never one per turn.
        Assert.Equal(reductions, summarizer.Calls);
    }

    [Fact]
    public async Task ReduceAsync_LongHistoryAtOnce_SummarizesSeveralStepsPerRequest()
    {
        var stepByStep = new ScriptedSummarizer();
        var atOnce = new ScriptedSummarizer();
        var incremental = Create(stepByStep, budget: 3000, target: 2400, summaryMaxTokens: 100);
        var whole = Create(atOnce, budget: 3000, target: 2400, summaryMaxTokens: 100);
        var history = History(turns: 0);
        foreach (var turn in Enumerable.Range(0, 60))
        {
            history.AddRange(Conversations.Turn(turn));
            await incremental.ReduceAsync(history, TestContext.Current.CancellationToken);
        }

        var reduced = (await whole.ReduceAsync(history, TestContext.Current.CancellationToken)).ToList();

        Assert.InRange(atOnce.Calls, 1, (stepByStep.Calls / 2) + 1);
        Assert.All(atOnce.Requests.Skip(1), r => Assert.StartsWith("Summary so far:", r.Messages[1].Text, StringComparison.Ordinal));
        Assert.InRange(Count(reduced), 1, 3000);
    }

    [Fact]
    public async Task ReduceAsync_LaterStep_ContinuesFromThePreviousSummary()
    {
        var summarizer = new ScriptedSummarizer(n => $"Summary {n}.");
        var reducer = Create(summarizer, budget: 2000);
        var history = History(turns: 10);
        await reducer.ReduceAsync(history, TestContext.Current.CancellationToken);
        var firstSteps = summarizer.Calls;

        history.AddRange(Enumerable.Range(10, 20).SelectMany(Conversations.Turn));
        await reducer.ReduceAsync(history, TestContext.Current.CancellationToken);

        Assert.True(summarizer.Calls > firstSteps);
        var later = summarizer.Requests[firstSteps].Messages[1].Text;
        Assert.StartsWith($"Summary so far:\nSummary {firstSteps}.", later, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReduceAsync_ReducedHistoryFedBack_FoldsTheOldSummaryIntoTheNewOne()
    {
        var summarizer = new ScriptedSummarizer(n => $"Summary {n}.");
        var reducer = Create(summarizer, budget: 2000);
        var carried = (await reducer.ReduceAsync(History(turns: 12), TestContext.Current.CancellationToken)).ToList();
        Assert.True(carried[1].IsChatReductionSummary());
        var callsBefore = summarizer.Calls;

        for (var turn = 12; turn < 40 && summarizer.Calls == callsBefore; turn++)
        {
            carried.AddRange(Conversations.Turn(turn));
            carried = (await reducer.ReduceAsync(carried, TestContext.Current.CancellationToken)).ToList();
        }

        Assert.Equal(callsBefore + 1, summarizer.Calls);
        Assert.StartsWith($"Summary so far:\nSummary {callsBefore}.", summarizer.Requests[^1].Messages[1].Text, StringComparison.Ordinal);
        Assert.Single(carried, m => m.IsChatReductionSummary());
        Assert.EndsWith($"Summary {callsBefore + 1}.", carried[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReduceAsync_SummaryLongerThanItsReserve_IsTrimmedToFit()
    {
        var summarizer = new ScriptedSummarizer(_ => string.Concat(Enumerable.Repeat("far too long summary text ", 400)));
        var reducer = Create(summarizer, budget: 2000, summaryMaxTokens: 100);

        var reduced = (await reducer.ReduceAsync(History(turns: 30), TestContext.Current.CancellationToken)).ToList();

        var atStart = false;
        var counter = new Llama4ChatTokenCounter(fixture.Engine);
        Assert.InRange(counter.CountTokens(reduced[1], ref atStart), 1, reducer.SummaryReserveTokens);
        Assert.InRange(Count(reduced), 1, 2000);
    }

    [Fact]
    public async Task ReduceAsync_SummarizerFails_PropagatesItsException()
    {
        var summarizer = new ScriptedSummarizer { Failure = new InvalidOperationException("summarizer down") };
        var reducer = Create(summarizer, budget: 2000);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => reducer.ReduceAsync(History(turns: 30), TestContext.Current.CancellationToken));

        Assert.Equal("summarizer down", error.Message);
    }

    [Fact]
    public async Task ReduceAsync_PinnedMessages_StayAfterTheSummary()
    {
        var summarizer = new ScriptedSummarizer();
        var messages = History(turns: 30);
        messages[2].PinForChatReduction();

        var reduced = (await Create(summarizer, budget: 2000).ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.True(reduced[1].IsChatReductionSummary());
        Assert.Same(messages[2], reduced[2]);
        Assert.DoesNotContain("User: " + messages[2].Text, summarizer.Requests[0].Messages[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReduceAsync_NoSystemMessage_PutsTheSummaryFirst()
    {
        var summarizer = new ScriptedSummarizer();
        var messages = Enumerable.Range(0, 30).SelectMany(Conversations.Turn).ToList();

        var reduced = (await Create(summarizer, budget: 2000).ReduceAsync(messages, TestContext.Current.CancellationToken)).ToList();

        Assert.True(reduced[0].IsChatReductionSummary());
        Assert.InRange(Count(reduced), 1, 2000);
    }

    [Theory]
    [InlineData(0, null, 10, 10, "TokenBudget")]
    [InlineData(1000, 2000, 10, 10, "TargetTokens")]
    [InlineData(1000, null, 0, 10, "SummaryMaxTokens")]
    [InlineData(1000, null, 500, 10, "SummaryMaxTokens")]
    [InlineData(1000, null, 10, 0, "SummaryCacheCapacity")]
    public void Constructor_InvalidOptions_ThrowsNamingTheProblem(int budget, int? target, int summaryMaxTokens, int capacity, string named)
    {
        var options = new Llama4SummarizingChatReducerOptions { TokenBudget = budget, TargetTokens = target, SummaryMaxTokens = summaryMaxTokens, SummaryCacheCapacity = capacity };

        var error = Assert.Throws<ArgumentException>(() => new Llama4SummarizingChatReducer(new ScriptedSummarizer(), fixture.Engine, options));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ReserveWithFramingOverTheTarget_Throws()
    {
        var options = new Llama4SummarizingChatReducerOptions { TokenBudget = 200, SummaryMaxTokens = 95 };

        var error = Assert.Throws<ArgumentException>(() => new Llama4SummarizingChatReducer(new ScriptedSummarizer(), fixture.Engine, options));

        Assert.Contains("summary reserve", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BlankInstructions_Throws()
    {
        var options = new Llama4SummarizingChatReducerOptions { TokenBudget = 2000, SummarizationInstructions = "  " };

        Assert.Throws<ArgumentException>(() => new Llama4SummarizingChatReducer(new ScriptedSummarizer(), fixture.Engine, options));
    }

    private Llama4SummarizingChatReducer Create(IChatClient summarizer, int budget, int summaryMaxTokens = 200, string? instructions = null, int? target = null) =>
        new(summarizer, fixture.Engine, new Llama4SummarizingChatReducerOptions
        {
            TokenBudget = budget,
            TargetTokens = target,
            SummaryMaxTokens = summaryMaxTokens,
            SummarizationInstructions = instructions,
        });

    private int Count(IEnumerable<ChatMessage> messages) => new Llama4ChatTokenCounter(fixture.Engine).CountTokens(messages);

    private static List<ChatMessage> History(int turns) =>
        [new(ChatRole.System, System), .. Enumerable.Range(0, turns).SelectMany(Conversations.Turn)];
}
