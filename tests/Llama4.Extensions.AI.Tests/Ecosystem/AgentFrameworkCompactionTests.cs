#pragma warning disable MAAI001 // Agent Framework's compaction API is marked experimental (1.28).
using Llama4.Testing;
using Microsoft.Agents.AI;
using Microsoft.Agents.AI.Compaction;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Llama4.Extensions.AI.Tests.Ecosystem;

/// <summary>
/// Agent Framework 1.28 compaction with real Llama 4 token counts, on a ChatClientAgent over Llama4ChatClient (tiny
/// model). AF's own entry points (CompactionProvider, CompactionProvider.CompactAsync, CompactionStrategy.AsChatReducer)
/// build their CompactionMessageIndex without a tokenizer (ByteCount / 4 estimates), and the factory that takes one
/// (CompactionMessageIndex.Create) is internal; the public way in is an index created with the tokenizer (constructor
/// plus AddGroup), which <see cref="TokenCountingCompaction"/> builds from AF's own grouping.
/// </summary>
public sealed class AgentFrameworkCompactionTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private const string Instructions = "You are a concise assistant.";

    [Fact]
    public void CompactionMessageIndex_WithLlama4Tokenizer_CountsTheEnginesTokensOfEachText()
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "Rules: be brief."),
            new(ChatRole.User, "Compare llamas and alpacas: wool, size, temperament. 数据 🦙"),
            new(ChatRole.Assistant, "Llamas are larger; alpacas have finer wool."),
        ];

        var index = new CompactionMessageIndex([], tokenizer);
        index.AddGroup(CompactionGroupKind.System, [messages[0]], turnIndex: null);
        index.AddGroup(CompactionGroupKind.User, [messages[1]], turnIndex: 1);
        index.AddGroup(CompactionGroupKind.AssistantText, [messages[2]], turnIndex: 1);
        var estimated = new CompactionMessageIndex([], tokenizer: null);
        estimated.AddGroup(CompactionGroupKind.User, messages, turnIndex: 1);

        Assert.Same(tokenizer, index.Tokenizer);
        Assert.Equal(messages.Sum(m => fixture.Engine.CountTokens(m.Text)), index.TotalTokenCount);
        Assert.Equal(ByteEstimate(messages), estimated.TotalTokenCount);
        Assert.NotEqual(estimated.TotalTokenCount, index.TotalTokenCount);
    }

    [Fact]
    public async Task ChatClientAgent_CompactionProviderWithTokenThreshold_TriggersOnRealLlama4TokenCounts()
    {
        var tokenizer = new Llama4Tokenizer(fixture.Engine);
        const int threshold = 300;
        var strategy = new TokenCountingCompaction(
            new TruncationCompactionStrategy(CompactionTriggers.TokensExceed(threshold), minimumPreservedGroups: 2),
            tokenizer);
        var sent = new List<List<ChatMessage>>();
        var client = new ChatClientBuilder(new Llama4ChatClient(fixture.Engine))
            .Use(async (messages, options, next, cancellationToken) =>
            {
                sent.Add([.. messages]);
                await next(messages, options, cancellationToken);
            })
            .Build();
        var history = new InMemoryChatHistoryProvider(new InMemoryChatHistoryProviderOptions());
        var agent = new ChatClientAgent(client, new ChatClientAgentOptions
        {
            ChatOptions = new ChatOptions { Instructions = Instructions, MaxOutputTokens = 12, Seed = 3 },
            ChatHistoryProvider = history,
            AIContextProviders = [new CompactionProvider(strategy)],
        });
        var session = await agent.CreateSessionAsync(TestContext.Current.CancellationToken);
        var fullInputs = new List<List<ChatMessage>>();

        for (var turn = 0; turn < 10; turn++)
        {
            var question = new ChatMessage(ChatRole.User, $"Turn {turn}: what do llamas eat, and how much water do they need each day?");
            fullInputs.Add([.. history.GetMessages(session), question]);
            await agent.RunAsync(question, session, cancellationToken: TestContext.Current.CancellationToken);
        }

        var first = sent.FindIndex(s => s.Count < fullInputs[sent.IndexOf(s)].Count);
        Assert.True(first >= 0, "No request was compacted.");
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.InRange(RealCount(tokenizer, sent[i]), 0, threshold);
        }

        // Counted the way Agent Framework counts without a tokenizer (UTF-8 bytes / 4), the history at that turn was
        // still under the threshold: the compaction came from the real Llama 4 token counts.
        Assert.True(RealCount(tokenizer, fullInputs[first]) > threshold);
        Assert.True(ByteEstimate(fullInputs[first]) <= threshold);
    }

    [Fact]
    public async Task ChatClientAgent_InMemoryHistoryWithLlama4Reducer_StoredHistoryStaysWithinTheBudget()
    {
        const int budget = 360;
        var reducer = new Llama4TruncatingChatReducer(fixture.Engine, new() { TokenBudget = budget });
        var history = new InMemoryChatHistoryProvider(new InMemoryChatHistoryProviderOptions
        {
            ChatReducer = reducer,
            ReducerTriggerEvent = InMemoryChatHistoryProviderOptions.ChatReducerTriggerEvent.AfterMessageAdded,
        });
        var agent = new ChatClientAgent(
            new Llama4ChatClient(fixture.Engine),
            new ChatClientAgentOptions
            {
                ChatOptions = new ChatOptions { Instructions = Instructions, MaxOutputTokens = 12, Seed = 5 },
                ChatHistoryProvider = history,
            });
        var session = await agent.CreateSessionAsync(TestContext.Current.CancellationToken);
        var counter = new Llama4ChatTokenCounter(fixture.Engine);

        for (var turn = 0; turn < 10; turn++)
        {
            await agent.RunAsync($"Turn {turn}: tell me one more fact about llamas and their habitat in the Andes.", session, cancellationToken: TestContext.Current.CancellationToken);
            var stored = history.GetMessages(session);
            Assert.InRange(counter.CountTokens(stored), 1, budget);
        }

        // Ten turns are twenty messages; the stored history was cut in large steps, never message by message.
        Assert.True(history.GetMessages(session).Count < 20);
    }

    private static int RealCount(Llama4Tokenizer tokenizer, IEnumerable<ChatMessage> messages) =>
        messages.Sum(m => tokenizer.CountTokens(m.Text));

    private static int ByteEstimate(IEnumerable<ChatMessage> messages) =>
        messages.Sum(m => System.Text.Encoding.UTF8.GetByteCount(m.Text)) / 4;

    /// <summary>
    /// Runs an Agent Framework compaction strategy on token counts from <paramref name="tokenizer"/>. AF 1.28 builds the
    /// index it hands to strategies without a tokenizer (its factory that takes one is internal), so this strategy
    /// copies AF's groups into an index created with the tokenizer (public constructor and AddGroup, which count with
    /// it), runs the inner strategy there, and writes the outcome back.
    /// </summary>
    private sealed class TokenCountingCompaction(CompactionStrategy inner, Tokenizer tokenizer) : CompactionStrategy(CompactionTriggers.Always)
    {
        protected override async ValueTask<bool> CompactCoreAsync(CompactionMessageIndex index, Microsoft.Extensions.Logging.ILogger logger, CancellationToken cancellationToken)
        {
            var counted = new CompactionMessageIndex([], tokenizer);
            foreach (var group in index.Groups)
            {
                var copy = counted.AddGroup(group.Kind, group.Messages, group.TurnIndex);
                copy.IsExcluded = group.IsExcluded;
                copy.ExcludeReason = group.ExcludeReason;
            }

            if (!await inner.CompactAsync(counted, logger, cancellationToken))
            {
                return false;
            }

            index.Groups.Clear();
            foreach (var group in counted.Groups)
            {
                index.Groups.Add(group);
            }

            return true;
        }
    }
}
