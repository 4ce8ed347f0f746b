using System.Diagnostics;
using System.Text.Json;
using Llama4.Core;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests;

/// <summary>
/// What careless callers and attackers send, on one engine: option extremes, pathological texts and schemas. Every case
/// gets a typed refusal or a normal reply, never a crash or a hang; afterwards no sequence is live, nothing is queued,
/// and a normal request succeeds.
/// </summary>
public sealed class Llama4ChatClientAbuseTests(AbuseEngineFixture fixture) : IClassFixture<AbuseEngineFixture>, IDisposable
{
    private readonly Llama4ChatClient _client = new(fixture.Engine);

    public static TheoryData<string> BadSamplingCases => ["temperature-nan", "temperature-inf", "temperature-negative", "top-p-nan", "top-p-two", "top-k-negative", "min-p-nan", "frequency-nan", "presence-inf", "repeat-zero", "repeat-nan", "penalty-window-negative"];

    public static TheoryData<string> LongTextCases => ["spaces", "letters", "bangs", "combining", "lone-surrogates", "five-megabytes", "newlines", "emoji"];

    public void Dispose() => _client.Dispose();

    [Theory]
    [MemberData(nameof(BadSamplingCases))]
    public async Task GetResponseAsync_SamplingValueOutOfRange_ThrowsArgumentOutOfRange(string kind)
    {
        var sampling = kind switch
        {
            "temperature-nan" => new ChatOptions { Temperature = float.NaN },
            "temperature-inf" => new ChatOptions { Temperature = float.PositiveInfinity },
            "temperature-negative" => new ChatOptions { Temperature = -1 },
            "top-p-nan" => new ChatOptions { TopP = float.NaN },
            "top-p-two" => new ChatOptions { TopP = 2 },
            "top-k-negative" => new ChatOptions { TopK = -5 },
            "min-p-nan" => new ChatOptions().WithLlama4Sampling(new Llama4SamplingOptions { MinP = float.NaN }),
            "frequency-nan" => new ChatOptions { FrequencyPenalty = float.NaN },
            "presence-inf" => new ChatOptions { PresencePenalty = float.PositiveInfinity },
            "repeat-zero" => new ChatOptions().WithLlama4Sampling(new Llama4SamplingOptions { RepeatPenalty = 0 }),
            "repeat-nan" => new ChatOptions().WithLlama4Sampling(new Llama4SamplingOptions { RepeatPenalty = float.NaN }),
            _ => new ChatOptions().WithLlama4Sampling(new Llama4SamplingOptions { PenaltyLastTokens = -3 }),
        };
        sampling.MaxOutputTokens = 4;

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.GetResponseAsync("Hi", sampling, TestContext.Current.CancellationToken));

        Assert.Contains("must be", error.Message, StringComparison.Ordinal);
        await AssertEngineHealthyAsync();
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MaxValue - 100)]
    [InlineData(1 << 30)]
    [InlineData(4096)]
    public async Task GetResponseAsync_MaxOutputTokensBeyondContext_RefusedAtOnce(int maxOutputTokens)
    {
        var error = await Assert.ThrowsAsync<Llama4ContextOverflowException>(
            () => _client.GetResponseAsync("Hi", new ChatOptions { MaxOutputTokens = maxOutputTokens }, TestContext.Current.CancellationToken));

        Assert.Equal(maxOutputTokens, error.ReservedOutputTokens);
        Assert.DoesNotContain("-", error.Message, StringComparison.Ordinal);
        Assert.InRange(fixture.Engine.GetStatistics().KvCellsInUse, 0, fixture.Engine.ContextSize);
        await AssertEngineHealthyAsync();
    }

    [Fact]
    public async Task GetResponseAsync_LargeOutputReservationWithLongPrompt_RefusedBeforeDecoding()
    {
        var before = fixture.Engine.GetStatistics().TokensDecoded;

        await Assert.ThrowsAsync<Llama4ContextOverflowException>(
            () => _client.GetResponseAsync(new string('x', 3000) + " tail", new ChatOptions { MaxOutputTokens = 3500 }, TestContext.Current.CancellationToken));

        Assert.Equal(before, fixture.Engine.GetStatistics().TokensDecoded);
        await AssertEngineHealthyAsync();
    }

    [Fact]
    public async Task GetResponseAsync_HugePenaltyWindow_CoversTheSequenceWithoutHugeAllocation()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        var response = await _client.GetResponseAsync(
            "Hi",
            new ChatOptions { MaxOutputTokens = 4, Seed = 3 }.WithLlama4Sampling(new Llama4SamplingOptions { PenaltyLastTokens = int.MaxValue, RepeatPenalty = 1.1f }),
            TestContext.Current.CancellationToken);

        Assert.Equal(ChatRole.Assistant, response.Messages[0].Role);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocated < 256L * 1024 * 1024, "no buffer sized by an absurd penalty window");
        await AssertEngineHealthyAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task GetResponseAsync_NullOrEmptyStopSequence_ThrowsArgumentException(string? stop)
    {
        var options = new ChatOptions { MaxOutputTokens = 4, StopSequences = ["ok", stop!] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _client.GetResponseAsync("Hi", options, TestContext.Current.CancellationToken));

        Assert.Contains("Stop sequence 1", error.Message, StringComparison.Ordinal);
        await AssertEngineHealthyAsync();
    }

    [Theory]
    [MemberData(nameof(LongTextCases))]
    public async Task GetResponseAsync_PathologicalText_RepliesOrRefusesTyped(string kind)
    {
        var text = kind switch
        {
            "spaces" => "a" + new string(' ', 60_000) + "b",
            "letters" => new string('q', 60_000),
            "bangs" => new string('!', 60_000),
            "combining" => "e" + new string('\u0301', 30_000),
            "lone-surrogates" => "x\uD800y\uDC00z" + new string('\uD83D', 2_000),
            "five-megabytes" => string.Concat(Enumerable.Repeat("All work and no play makes Jack a dull boy. ", 120_000)),
            "newlines" => new string('\n', 60_000),
            _ => string.Concat(Enumerable.Repeat("\U0001F999", 20_000)),
        };
        var watch = Stopwatch.StartNew();

        var error = await Record.ExceptionAsync(() => _client.GetResponseAsync(text, new ChatOptions { MaxOutputTokens = 2 }, TestContext.Current.CancellationToken));

        Assert.True(error is null or Llama4ContextOverflowException, $"{kind}: {error}");
        await AssertEngineHealthyAsync();
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FiveMegabyteMessageAlreadyCancelled_EndsAtOnceWithoutUpdates()
    {
        var text = string.Concat(Enumerable.Repeat("All work and no play makes Jack a dull boy. ", 120_000));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        // Refused as too long or as cancelled, whichever is found first: never tokenized to its end, never decoded.
        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in _client.GetStreamingResponseAsync(text, new ChatOptions { MaxOutputTokens = 2 }, cancelled.Token))
            {
                Assert.Fail("no update after cancellation");
            }
        });

        Assert.True(error is OperationCanceledException or Llama4ContextOverflowException, error?.ToString());
        await AssertEngineHealthyAsync();
    }

    [Theory]
    [InlineData("deep")]
    [InlineData("surrogate-const")]
    [InlineData("schema-true")]
    [InlineData("schema-number")]
    [InlineData("schema-array")]
    [InlineData("schema-string")]
    [InlineData("schema-false")]
    public async Task GetResponseAsync_ExtremeToolSchemaRequired_CallsTheToolOrRefusesTyped(string kind)
    {
        var schema = kind switch
        {
            "deep" => DeepSchema(100),
            "surrogate-const" => "{\"type\":\"object\",\"properties\":{\"x\":{\"const\":\"\\ud800\"}},\"required\":[\"x\"]}",
            "schema-true" => "true",
            "schema-number" => "28",
            "schema-string" => "{\"type\":\"string\"}",
            "schema-false" => "false",
            _ => "[1,2]",
        };
        var tool = AIFunctionFactory.CreateDeclaration("probe", "A probe tool.", JsonDocument.Parse(schema, new JsonDocumentOptions { MaxDepth = 512 }).RootElement);
        var options = new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 200, Seed = 11 };

        var error = await Record.ExceptionAsync(async () =>
        {
            var response = await _client.GetResponseAsync("Use the probe.", options, TestContext.Current.CancellationToken);

            // The Required contract: a call, never the call's JSON as text.
            var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
            Assert.Equal("probe", call.Name);
            Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
            Assert.DoesNotContain("\"name\"", response.Text, StringComparison.Ordinal);
        });

        // Only `true` (any arguments) describes arguments a call can have; every other case is refused by name.
        if (kind == "schema-true")
        {
            Assert.Null(error);
        }
        else
        {
            var refusal = Assert.IsType<ArgumentException>(error);
            Assert.Contains("tool 'probe'", refusal.Message, StringComparison.Ordinal);
        }

        await AssertEngineHealthyAsync();
    }

    [Fact]
    public async Task GetResponseAsync_DeepToolSchemaInAutoMode_RefusedByName()
    {
        var tool = AIFunctionFactory.CreateDeclaration("probe", "A probe tool.", JsonDocument.Parse(DeepSchema(100), new JsonDocumentOptions { MaxDepth = 512 }).RootElement);

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => _client.GetResponseAsync("Hello", new ChatOptions { Tools = [tool], MaxOutputTokens = 4, Seed = 2 }, TestContext.Current.CancellationToken));

        Assert.Contains("tool 'probe'", error.Message, StringComparison.Ordinal);
        Assert.Contains("64 levels", error.Message, StringComparison.Ordinal);
        await AssertEngineHealthyAsync();
    }

    [Fact]
    public async Task GetResponseAsync_SchemaNestedWithinLimit_Accepted()
    {
        var tool = AIFunctionFactory.CreateDeclaration("probe", "A probe tool.", JsonDocument.Parse(DeepSchema(10)).RootElement);

        var response = await _client.GetResponseAsync(
            "Use the probe.",
            new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 200, Seed = 4 },
            TestContext.Current.CancellationToken);

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        await AssertEngineHealthyAsync();
    }

    private static string DeepSchema(int depth)
    {
        var inner = "{\"type\":\"string\",\"maxLength\":3}";
        for (var i = 0; i < depth; i++)
        {
            inner = $"{{\"type\":\"object\",\"properties\":{{\"n\":{inner}}},\"required\":[\"n\"]}}";
        }

        return inner;
    }

    private async Task AssertEngineHealthyAsync()
    {
        var engine = fixture.Engine;
        var deadline = Stopwatch.StartNew();
        while ((engine.GetStatistics().LiveSequences != 0 || engine.GetStatistics().QueuedRequests != 0) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var statistics = engine.GetStatistics();
        Assert.Equal(0, statistics.LiveSequences);
        Assert.Equal(0, statistics.QueuedRequests);
        Assert.InRange(statistics.KvCellsInUse, 0, engine.ContextSize);
        var response = await _client.GetResponseAsync("Are you still there?", new ChatOptions { MaxOutputTokens = 3, Seed = 1 }, TestContext.Current.CancellationToken);
        Assert.NotNull(response.Usage?.OutputTokenCount);
        Assert.InRange(response.Usage.OutputTokenCount!.Value, 1, 3);
    }
}
