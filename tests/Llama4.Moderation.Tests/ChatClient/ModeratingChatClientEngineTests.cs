using System.Text.Json;
using Llama4.Extensions.AI;
using Llama4.Moderation.Tests.TestDoubles;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Moderation.Tests.ChatClient;

/// <summary>
/// Moderation around the real <see cref="Llama4ChatClient"/> on the random-weight tiny model: a block in the middle of a
/// stream stops decoding and frees the sequence, and tool arguments the grammar forces to contain PII are redacted
/// before the tool runs. The text is gibberish; the tests assert structure and the engine's counters.
/// </summary>
public sealed class ModeratingChatClientEngineTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task GetStreamingResponseAsync_BlockMidGeneration_EndsWithContentFilterAndStopsDecoding()
    {
        const int MaxOutputTokens = 2000;
        var engine = fixture.Engine;
        var options = new ModerationOptions();
        options.Streaming.CheckIntervalCharacters = 8;

        // Blocks the reply once 24 characters of it exist, whatever they are.
        var moderator = new DelegateModerator((request, _) => ValueTask.FromResult(
            request.Source == ModerationSource.Assistant && request.Text.Length >= 24
                ? ModerationVerdict.Block([new ModerationFinding(ModerationCategory.Custom, 1, "length")])
                : ModerationVerdict.Allowed));
        using var client = new ModeratingChatClient(new Llama4ChatClient(engine), new ModerationGuard(moderator, options));
        var before = engine.GetStatistics();

        var updates = await client.GetStreamingResponseAsync(
            "Tell me a long story.",
            new ChatOptions { MaxOutputTokens = MaxOutputTokens, Seed = 7 },
            TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        var after = engine.GetStatistics();
        var last = updates[^1];
        Assert.Equal(ChatFinishReason.ContentFilter, last.FinishReason);
        Assert.True(last.IsModerationRetraction());
        Assert.All(updates.Take(updates.Count - 1), u => Assert.Null(u.FinishReason));
        Assert.Equal(0, after.LiveSequences);
        Assert.Equal(before.CompletedRequests + 1, after.CompletedRequests);
        // The engine decodes ahead of the reader while each window is checked (and random weights emit many tokens that
        // complete no character), so the exact count depends on timing; it stays far below the 2,000 allowed.
        Assert.InRange(after.TokensGenerated - before.TokensGenerated, 1, MaxOutputTokens / 2);
        await Task.Yield();
        Assert.Equal(after.TokensGenerated, engine.GetStatistics().TokensGenerated);
    }

    [Fact]
    public async Task GetResponseAsync_ModelCallsToolWithAnEmail_ToolReceivesTheRedactedArgument()
    {
        // The schema's enum forces the random model to pass exactly this address.
        var tool = new EnumEmailTool("jane.doe@example.com");
        using var client = new ChatClientBuilder(new Llama4ChatClient(fixture.Engine))
            .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 2)
            .UseLlama4Moderation(new PiiModerator())
            .Build();

        var response = await client.GetResponseAsync(
            "Send the report to Jane.",
            new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireAny, Seed = 3, MaxOutputTokens = 64 },
            TestContext.Current.CancellationToken);

        Assert.NotEmpty(tool.Received);
        Assert.All(tool.Received, value => Assert.Equal("[EMAIL]", value));
        Assert.DoesNotContain(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>(), c => c.Arguments!.Values.Any(v => v?.ToString()?.Contains('@', StringComparison.Ordinal) == true));
    }

    /// <summary>A tool whose only parameter is constrained to one email address by its JSON schema; records what it gets.</summary>
    private sealed class EnumEmailTool(string email) : AIFunction
    {
        private readonly JsonElement _schema = JsonDocument.Parse($$$"""
            {"type":"object","properties":{"to":{"type":"string","enum":["{{{email}}}"]}},"required":["to"],"additionalProperties":false}
            """).RootElement.Clone();

        public List<string?> Received { get; } = [];

        public override string Name => "send_report";

        public override string Description => "Sends the report by email.";

        public override JsonElement JsonSchema => _schema;

        protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            Received.Add(arguments.TryGetValue("to", out var to) ? to?.ToString() : null);
            return ValueTask.FromResult<object?>("sent");
        }
    }
}
