using System.Diagnostics;
using Llama4.Core;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests.Diagnostics;

public sealed class OpenTelemetryCompositionTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private const string ClientSource = "Llama4.Tests.OpenTelemetryChatClient";

    private static readonly ChatMessage[] Conversation =
    [
        new(ChatRole.System, "You are a helpful assistant."),
        new(ChatRole.User, "Describe telemetry."),
    ];

    [Fact]
    public async Task GetResponseAsync_UnderOpenTelemetryAndLogging_EngineSpanNestsUnderClientSpan()
    {
        using var recorder = new ActivityRecorder(ClientSource, Llama4Telemetry.ActivitySourceName);
        using var loggerFactory = new RecordingLoggerFactory();
        using var client = Build(loggerFactory);

        ChatResponse response;
        using (recorder.StartRoot())
        {
            response = await client.GetResponseAsync(Conversation, new ChatOptions { Seed = 3, MaxOutputTokens = 6 }, TestContext.Current.CancellationToken);
        }

        AssertNested(recorder, response.Usage!);
        Assert.NotEmpty(loggerFactory.Entries);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UnderOpenTelemetryAndLogging_EngineSpanNestsUnderClientSpan()
    {
        using var recorder = new ActivityRecorder(ClientSource, Llama4Telemetry.ActivitySourceName);
        using var loggerFactory = new RecordingLoggerFactory();
        using var client = Build(loggerFactory);

        List<ChatResponseUpdate> updates;
        using (recorder.StartRoot())
        {
            updates = await client.GetStreamingResponseAsync(Conversation, new ChatOptions { Seed = 4, MaxOutputTokens = 6 }, TestContext.Current.CancellationToken)
                .ToListAsync(TestContext.Current.CancellationToken);
        }

        AssertNested(recorder, updates.ToChatResponse().Usage!);
        Assert.NotEmpty(loggerFactory.Entries);
    }

    [Fact]
    public async Task GetResponseAsync_UnderOpenTelemetry_SpansCarryNoServerTagsAndTheStandardCacheReadCount()
    {
        using var recorder = new ActivityRecorder(ClientSource, Llama4Telemetry.ActivitySourceName);
        using var inner = new Llama4ChatClient(fixture.Engine);
        using var client = inner.AsBuilder().UseOpenTelemetry(sourceName: ClientSource).Build();

        ChatResponse response;
        using (recorder.StartRoot())
        {
            response = await client.GetResponseAsync(Conversation, new ChatOptions { Seed = 7, MaxOutputTokens = 4 }, TestContext.Current.CancellationToken);
            response = await client.GetResponseAsync(Conversation, new ChatOptions { Seed = 7, MaxOutputTokens = 4 }, TestContext.Current.CancellationToken);
        }

        var spans = recorder.Stopped.ToList();
        Assert.Equal(4, spans.Count);
        Assert.All(spans, s => Assert.Null(s.GetTagItem("server.address")));
        Assert.All(spans, s => Assert.Null(s.GetTagItem("server.port")));
        Assert.Null(client.GetService<ChatClientMetadata>()!.ProviderUri);
        Assert.Equal(fixture.Engine.Model.Path, client.GetService<Llama4ModelInfo>()!.Path);
        var lastEngineSpan = spans.Last(s => s.Source.Name == Llama4Telemetry.ActivitySourceName);
        Assert.True(response.Usage!.CachedInputTokenCount > 0, "the repeated request reuses its prompt");
        Assert.Equal(response.Usage.CachedInputTokenCount, (int)lastEngineSpan.GetTagItem("gen_ai.usage.cache_read.input_tokens")!);
    }

    private IChatClient Build(RecordingLoggerFactory loggerFactory) =>
        new Llama4ChatClient(fixture.Engine).AsBuilder()
            .UseOpenTelemetry(sourceName: ClientSource)
            .UseLogging(loggerFactory)
            .Build();

    private void AssertNested(ActivityRecorder recorder, UsageDetails usage)
    {
        var spans = recorder.Stopped.ToList();
        Assert.Equal(2, spans.Count);
        var clientSpan = Assert.Single(spans, s => s.Source.Name == ClientSource);
        var engineSpan = Assert.Single(spans, s => s.Source.Name == Llama4Telemetry.ActivitySourceName);
        Assert.Equal(ActivityKind.Client, clientSpan.Kind);
        Assert.Equal(recorder.Root!.SpanId, clientSpan.ParentSpanId);
        Assert.Equal(clientSpan.SpanId, engineSpan.ParentSpanId);
        Assert.Equal($"chat {fixture.Engine.ModelId}", engineSpan.DisplayName);
        Assert.Equal(Llama4ChatClient.ProviderName, clientSpan.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(Llama4Telemetry.ProviderName, engineSpan.GetTagItem(Llama4Telemetry.ProviderNameAttribute));
        Assert.Equal(usage.InputTokenCount, (int)engineSpan.GetTagItem("gen_ai.usage.input_tokens")!);
        Assert.Equal(usage.OutputTokenCount, (int)engineSpan.GetTagItem("gen_ai.usage.output_tokens")!);
        Assert.Equal(ActivityStatusCode.Unset, engineSpan.Status);
        Assert.NotEqual(ActivityStatusCode.Error, clientSpan.Status);
    }
}
