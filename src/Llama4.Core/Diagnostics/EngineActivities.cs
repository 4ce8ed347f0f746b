using System.Diagnostics;
using Llama4.Core.Inference;

namespace Llama4.Core.Diagnostics;

/// <summary>
/// The spans of the <see cref="Llama4Telemetry.ActivitySourceName"/> source: one <c>chat {model}</c> span per engine
/// request, a child of the caller's current span, following the OpenTelemetry gen_ai conventions. Created only when a
/// listener samples the source.
/// </summary>
internal static class EngineActivities
{
    private static readonly ActivitySource Source = new(Llama4Telemetry.ActivitySourceName, typeof(EngineActivities).Assembly.GetName().Version?.ToString());

    public static Activity? Start(string model, GenerationSession session)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity($"{Llama4Telemetry.ChatOperationName} {model}", ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity
                .SetTag(Llama4Telemetry.OperationNameAttribute, Llama4Telemetry.ChatOperationName)
                .SetTag(Llama4Telemetry.ProviderNameAttribute, Llama4Telemetry.ProviderName)
                .SetTag(Llama4Telemetry.RequestModelAttribute, model)
                .SetTag("gen_ai.request.max_tokens", session.MaxOutputTokens)
                .SetTag("gen_ai.request.temperature", (double?)session.Sampling.Temperature)
                .SetTag("gen_ai.request.top_p", (double?)session.Sampling.TopP)
                .SetTag("gen_ai.request.top_k", session.Sampling.TopK)
                .SetTag("gen_ai.request.frequency_penalty", (double?)session.Sampling.FrequencyPenalty)
                .SetTag("gen_ai.request.presence_penalty", (double?)session.Sampling.PresencePenalty)
                .SetTag("gen_ai.request.seed", session.Sampling.Seed)
                .SetTag("gen_ai.conversation.id", session.ConversationId);
        }

        return activity;
    }

    public static void Complete(Activity activity, string model, Llama4GenerationUpdate final)
    {
        if (!activity.IsAllDataRequested || final.Usage is not { } usage)
        {
            return;
        }

        var admitted = activity.StartTimeUtc + usage.QueueTime;
        activity.AddEvent(new ActivityEvent(Llama4Telemetry.AdmittedEvent, admitted, new ActivityTagsCollection { ["llama4.queue_time_s"] = usage.QueueTime.TotalSeconds }));
        if (usage.OutputTokens > 0)
        {
            activity.AddEvent(new ActivityEvent(Llama4Telemetry.FirstTokenEvent, admitted + usage.PromptTime, new ActivityTagsCollection { ["llama4.prompt_time_s"] = usage.PromptTime.TotalSeconds }));
        }

        activity
            .SetTag("gen_ai.response.model", model)
            .SetTag("gen_ai.response.finish_reasons", new[] { FinishReasonName(final.FinishReason) })
            .SetTag("gen_ai.usage.input_tokens", usage.PromptTokens)
            .SetTag("gen_ai.usage.output_tokens", usage.OutputTokens)
            .SetTag(Llama4Telemetry.CacheReadInputTokensAttribute, usage.CachedPromptTokens)
            .SetTag(Llama4Telemetry.ReusedInputTokensAttribute, usage.CachedPromptTokens);
    }

    public static void Fail(Activity activity, Exception error)
    {
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.SetTag(Llama4Telemetry.ErrorTypeAttribute, EngineMetrics.ErrorType(error));
        activity.AddException(error);
    }

    private static string FinishReasonName(Llama4FinishReason? reason) => reason switch
    {
        Llama4FinishReason.Stop => "stop",
        Llama4FinishReason.Length => "length",
        Llama4FinishReason.ToolCalls => "tool_calls",
        _ => "unknown",
    };
}
