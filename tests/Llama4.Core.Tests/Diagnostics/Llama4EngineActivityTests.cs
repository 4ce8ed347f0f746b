using System.Diagnostics;
using Llama4.Testing;

namespace Llama4.Core.Tests.Diagnostics;

public sealed class Llama4EngineActivityTests(TelemetryEngineFixture fixture) : IClassFixture<TelemetryEngineFixture>
{
    private readonly Llama4Engine _engine = fixture.Engine;

    [Fact]
    public async Task GenerateAsync_WithListener_EmitsChatSpanWithGenAiAttributesAndUsage()
    {
        using var recorder = new ActivityRecorder(Llama4Telemetry.ActivitySourceName);
        GenerationResult result;
        using (var root = recorder.StartRoot())
        {
            var request = Prompts.Seeded(seed: 11, maxOutputTokens: 5, user: "span please") with { ConversationId = "conv-telemetry" };
            result = await GenerationResult.CollectAsync(_engine, request, TestContext.Current.CancellationToken);

            // The engine's span never becomes the caller's current activity.
            Assert.Same(root, Activity.Current);
        }

        var span = Assert.Single(recorder.Stopped);
        Assert.Equal($"chat {_engine.ModelId}", span.DisplayName);
        Assert.Equal(ActivityKind.Internal, span.Kind);
        Assert.Equal(recorder.Root!.SpanId, span.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("chat", span.GetTagItem(Llama4Telemetry.OperationNameAttribute));
        Assert.Equal(Llama4Telemetry.ProviderName, span.GetTagItem(Llama4Telemetry.ProviderNameAttribute));
        Assert.Equal(_engine.ModelId, span.GetTagItem(Llama4Telemetry.RequestModelAttribute));
        Assert.Equal(_engine.ModelId, span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(5, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(11L, span.GetTagItem("gen_ai.request.seed"));
        Assert.IsType<double>(span.GetTagItem("gen_ai.request.temperature"));
        Assert.IsType<int>(span.GetTagItem("gen_ai.request.top_k"));
        Assert.Equal("conv-telemetry", span.GetTagItem("gen_ai.conversation.id"));
        Assert.Equal(result.Usage.PromptTokens, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(result.Usage.OutputTokens, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(result.Usage.CachedPromptTokens, span.GetTagItem(Llama4Telemetry.ReusedInputTokensAttribute));
        Assert.Equal(result.Usage.CachedPromptTokens, span.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
        var finishReason = Assert.Single((string[])span.GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal(result.FinishReason == Llama4FinishReason.Length ? "length" : "stop", finishReason);
        Assert.Equal([Llama4Telemetry.AdmittedEvent, Llama4Telemetry.FirstTokenEvent], span.Events.Select(e => e.Name));
    }

    [Fact]
    public async Task GenerateAsync_Cancelled_SpanRecordsError()
    {
        using var recorder = new ActivityRecorder(Llama4Telemetry.ActivitySourceName);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using (recorder.StartRoot())
        {
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var update in _engine.GenerateAsync(Prompts.Seeded(seed: 12, maxOutputTokens: 5, user: "cancelled span"), cts.Token))
                {
                    Assert.Fail("No update was expected after cancellation.");
                }
            });
        }

        var span = Assert.Single(recorder.Stopped);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(OperationCanceledException).FullName, span.GetTagItem(Llama4Telemetry.ErrorTypeAttribute));
        Assert.Contains(span.Events, e => e.Name == "exception");
    }
}
