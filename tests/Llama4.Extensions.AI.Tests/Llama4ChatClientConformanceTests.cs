using System.Diagnostics;
using System.Diagnostics.Metrics;
using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Llama4.Extensions.AI.Tests;

/// <summary>
/// The whole <see cref="IChatClient"/> contract, checked the way a provider conformance suite checks a provider, on the
/// tiny model with one engine shared by the class: responses and their usage, streaming (one message, one
/// <see cref="UsageContent"/>), finish reasons, stop sequences, instructions, tool modes, structured output with and
/// without the schema format, <see cref="DistributedCachingChatClient"/>, OpenTelemetry, concurrency, cancellation and
/// disposal. The random-weight model's text means nothing; everything asserted is contract.
/// </summary>
public sealed class Llama4ChatClientConformanceTests(EngineFixture fixture) : IClassFixture<EngineFixture>, IDisposable
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "What is the capital of France?")];

    private static readonly AITool[] Tools =
    [
        AIFunctionFactory.Create((string city) => $"Sunny in {city}", "get_weather", "Gets the weather of a city."),
        AIFunctionFactory.Create(() => "12:00", "get_time", "Gets the time."),
    ];

    private readonly Llama4ChatClient _client = new(fixture.Engine);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task GetResponseAsync_OneQuestion_OneAssistantMessageWithIdsModelAndConsistentUsage()
    {
        var response = await _client.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 12 }, Cancellation);

        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.All(message.Contents, c => Assert.IsType<TextContent>(c));
        Assert.False(string.IsNullOrEmpty(response.ResponseId));
        Assert.Equal(response.ResponseId, message.MessageId);
        Assert.Equal(fixture.Engine.ModelId, response.ModelId);
        Assert.NotNull(response.CreatedAt);
        Assert.Null(response.ConversationId);
        Assert.Contains(response.FinishReason, new ChatFinishReason?[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        var usage = Assert.IsType<UsageDetails>(response.Usage);
        Assert.True(usage.InputTokenCount > 0);
        Assert.InRange(usage.OutputTokenCount!.Value, 1, 12);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_OneQuestion_OneMessageIdOneUsageContentAndTheFinishReasonLast()
    {
        var updates = await _client.GetStreamingResponseAsync(Question, new ChatOptions { MaxOutputTokens = 12 }, Cancellation).ToListAsync(Cancellation);

        Assert.NotEmpty(updates);
        Assert.Single(updates.Select(u => u.MessageId).Distinct());
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.All(updates, u => Assert.Equal(fixture.Engine.ModelId, u.ModelId));
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.Contains(usage, updates[^1].Contents);
        Assert.Single(updates, u => u.FinishReason is not null);
        Assert.NotNull(updates[^1].FinishReason);
        var response = updates.ToChatResponse();
        Assert.Single(response.Messages);
        Assert.Equal(usage.Details.InputTokenCount + usage.Details.OutputTokenCount, usage.Details.TotalTokenCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponseAsync_MaxOutputTokensReached_FinishReasonLengthAfterExactlyThatMany(bool streaming)
    {
        var options = new ChatOptions { MaxOutputTokens = 3, Seed = 11 };

        var response = streaming
            ? (await _client.GetStreamingResponseAsync(Question, options, Cancellation).ToListAsync(Cancellation)).ToChatResponse()
            : await _client.GetResponseAsync(Question, options, Cancellation);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(3, response.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StopSequence_EndsBeforeItAndNeverStreamsIt()
    {
        // The compared runs start from the same cached prompt (a first, uncached run may differ in its last logit bits).
        await _client.GetResponseAsync(Question, new ChatOptions { Seed = 31, MaxOutputTokens = 1 }, Cancellation);
        var reference = await _client.GetResponseAsync(Question, new ChatOptions { Seed = 31, MaxOutputTokens = 40 }, Cancellation);
        Assert.True(reference.Text.Length >= 12, reference.Text);
        var stop = reference.Text.Substring(reference.Text.Length / 2, 3);

        var updates = await _client.GetStreamingResponseAsync(Question, new ChatOptions { Seed = 31, MaxOutputTokens = 40, StopSequences = [stop] }, Cancellation).ToListAsync(Cancellation);

        var text = string.Concat(updates.Select(u => u.Text));
        Assert.Equal(reference.Text[..reference.Text.IndexOf(stop, StringComparison.Ordinal)], text);
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
    }

    [Fact]
    public async Task GetResponseAsync_Instructions_AreTheSystemTurn()
    {
        const string Instructions = "Answer in French.";

        var withInstructions = await _client.GetResponseAsync(Question, new ChatOptions { Instructions = Instructions, MaxOutputTokens = 1 }, Cancellation);
        var withSystemMessage = await _client.GetResponseAsync([new ChatMessage(ChatRole.System, Instructions), .. Question], new ChatOptions { MaxOutputTokens = 1 }, Cancellation);
        var without = await _client.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 1 }, Cancellation);

        Assert.Equal(withSystemMessage.Usage!.InputTokenCount, withInstructions.Usage!.InputTokenCount);
        Assert.True(withInstructions.Usage.InputTokenCount > without.Usage!.InputTokenCount);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("require any")]
    [InlineData("require specific")]
    public async Task GetResponseAsync_ToolModes_CallsOnlyOfferedToolsAndReportsThemInTheFinishReason(string mode)
    {
        ChatToolMode toolMode = mode switch
        {
            "auto" => ChatToolMode.Auto,
            "require any" => ChatToolMode.RequireAny,
            _ => ChatToolMode.RequireSpecific("get_weather"),
        };

        var response = await _client.GetResponseAsync(Question, new ChatOptions { Tools = Tools, ToolMode = toolMode, Seed = 5, MaxOutputTokens = 120 }, Cancellation);

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.All(calls, c => Assert.Contains(c.Name, new[] { "get_weather", "get_time" }));
        Assert.All(calls, c => Assert.False(string.IsNullOrEmpty(c.CallId)));
        Assert.Equal(calls.Count, calls.Select(c => c.CallId).Distinct().Count());
        if (calls.Count > 0)
        {
            Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        }
        else
        {
            Assert.Contains(response.FinishReason, new ChatFinishReason?[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        }

        if (mode != "auto")
        {
            var call = Assert.Single(calls);
            Assert.Empty(response.Text.Trim());
            if (call.Name == "get_weather")
            {
                Assert.True(call.Arguments!.ContainsKey("city"));
            }

            if (mode == "require specific")
            {
                Assert.Equal("get_weather", call.Name);
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetResponseAsyncOfT_WithAndWithoutTheSchemaFormat_Deserializes(bool useJsonSchemaResponseFormat)
    {
        var response = await _client.GetResponseAsync<City>(Question, new ChatOptions { Seed = 9, MaxOutputTokens = 400 }, useJsonSchemaResponseFormat, Cancellation);

        Assert.True(response.TryGetResult(out var city), response.Text);
        Assert.NotNull(city);
        if (useJsonSchemaResponseFormat)
        {
            Assert.NotNull(city.Name);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DistributedCachingChatClient_SameRequest_IsServedFromTheCache(bool streaming)
    {
        using var cached = _client.AsBuilder().UseDistributedCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()))).Build();
        var options = new ChatOptions { MaxOutputTokens = 16 };
        var completedBefore = fixture.Engine.GetStatistics().CompletedRequests;

        async Task<ChatResponse> AskAsync() => streaming
            ? (await cached.GetStreamingResponseAsync(Question, options, Cancellation).ToListAsync(Cancellation)).ToChatResponse()
            : await cached.GetResponseAsync(Question, options, Cancellation);

        var first = await AskAsync();
        var second = await AskAsync();
        var uncached = await _client.GetResponseAsync(Question, options, Cancellation);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Usage!.TotalTokenCount, second.Usage!.TotalTokenCount);
        Assert.Equal(completedBefore + 2, fixture.Engine.GetStatistics().CompletedRequests);
        Assert.NotEqual(first.Text, uncached.Text);
    }

    [Fact]
    public async Task UseOpenTelemetry_Response_EmitsTheClientSpanAndGenAiMetrics()
    {
        const string Source = "Llama4.Tests.Conformance";
        using var recorder = new ActivityRecorder(Source);
        var measurements = new List<(string Instrument, double Value, string? TokenType)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Source)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        using var client = _client.AsBuilder().UseOpenTelemetry(sourceName: Source).Build();

        ChatResponse response;
        using (recorder.StartRoot())
        {
            response = await client.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 5 }, Cancellation);
        }

        var span = Assert.Single(recorder.Stopped);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(Llama4ChatClient.ProviderName, span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(fixture.Engine.ModelId, span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(response.ResponseId, span.GetTagItem("gen_ai.response.id"));
        Assert.Equal((int)response.Usage!.InputTokenCount!, Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        lock (measurements)
        {
            Assert.Contains(measurements, m => m.Instrument == "gen_ai.client.operation.duration" && m.Value > 0);
            Assert.Contains(measurements, m => m.Instrument == "gen_ai.client.token.usage" && m.TokenType == "input" && m.Value == response.Usage.InputTokenCount);
            Assert.Contains(measurements, m => m.Instrument == "gen_ai.client.token.usage" && m.TokenType == "output" && m.Value == response.Usage.OutputTokenCount);
        }

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? tokenType = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "gen_ai.token.type")
                {
                    tokenType = tag.Value as string;
                }
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, value, tokenType));
            }
        }
    }

    [Fact]
    public async Task GetResponseAsync_ConcurrentStreamingAndNonStreamingCallsOnOneClient_AllCompleteWithTheirOwnUsage()
    {
        var calls = Enumerable.Range(1, 8).Select(async i =>
        {
            var options = new ChatOptions { Seed = i, MaxOutputTokens = 6 + i };
            return i % 2 == 0
                ? await _client.GetResponseAsync(Question, options, Cancellation)
                : (await _client.GetStreamingResponseAsync(Question, options, Cancellation).ToListAsync(Cancellation)).ToChatResponse();
        });

        var responses = await Task.WhenAll(calls);

        Assert.Equal(8, responses.Select(r => r.ResponseId).Distinct().Count());
        Assert.All(responses, r => Assert.InRange(r.Usage!.OutputTokenCount!.Value, 1, 14));
        Assert.All(responses, r => Assert.Single(r.Messages));
    }

    [Fact]
    public async Task GetResponseAsync_Cancelled_ThrowsOperationCanceledAndTheClientKeepsServing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 50 }, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _client.GetStreamingResponseAsync(Question, new ChatOptions { MaxOutputTokens = 50 }, cancelled.Token).ToListAsync(Cancellation));
        using var midStream = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in _client.GetStreamingResponseAsync(Question, new ChatOptions { MaxOutputTokens = 200 }, midStream.Token))
            {
                await midStream.CancelAsync();
            }
        });

        var after = await _client.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 3 }, Cancellation);
        Assert.Equal(3, after.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Dispose_Client_RefusesCallsAndLeavesTheSharedEngineServing()
    {
        var client = new Llama4ChatClient(fixture.Engine);
        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetResponseAsync(Question, cancellationToken: Cancellation));
        Assert.Throws<ObjectDisposedException>(() => client.GetStreamingResponseAsync(Question, cancellationToken: Cancellation));
        client.Dispose();
        var response = await _client.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 2 }, Cancellation);
        Assert.Equal(2, response.Usage!.OutputTokenCount);
    }

    public sealed record City(string Name, int Population);
}
