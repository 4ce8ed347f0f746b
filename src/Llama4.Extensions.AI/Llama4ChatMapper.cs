using System.Text;
using Llama4.Core;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI;

/// <summary>Maps Microsoft.Extensions.AI messages and options to the engine's request, and the engine's results back.</summary>
internal static class Llama4ChatMapper
{
    public static Llama4GenerationRequest ToRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, IChatClient client, string servedModelId)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ValidateOptions(options, servedModelId);

        var prompt = Llama4PromptFormatter.Format(ToLlama4Messages(messages, options?.Instructions));
        return new Llama4GenerationRequest(prompt)
        {
            Sampling = ToSampling(options, client),
            MaxOutputTokens = options?.MaxOutputTokens,
            StopSequences = options?.StopSequences is { Count: > 0 } stops ? [.. stops] : [],
        };
    }

    public static List<Llama4Message> ToLlama4Messages(IEnumerable<ChatMessage> messages, string? instructions)
    {
        var result = new List<Llama4Message>();
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            result.Add(new Llama4Message(ToRole(message.Role), ToText(message)));
        }

        if (!string.IsNullOrEmpty(instructions))
        {
            // ChatOptions.Instructions come first. A leading system message joins them in the one system turn the
            // Llama 4 format has at the top.
            if (result.Count > 0 && result[0].Role == Llama4Role.System)
            {
                result[0] = result[0] with { Content = instructions + "\n\n" + result[0].Content };
            }
            else
            {
                result.Insert(0, new Llama4Message(Llama4Role.System, instructions));
            }
        }

        return result;
    }

    public static Llama4SamplingOptions ToSampling(ChatOptions? options, IChatClient client)
    {
        // Values set on a raw Llama4SamplingOptions win; ChatOptions fill what it leaves unset (the convention of
        // RawRepresentationFactory). A raw object of another provider's type is not ours and is left alone.
        var raw = options?.RawRepresentationFactory?.Invoke(client) as Llama4SamplingOptions;
        var fromOptions = new Llama4SamplingOptions
        {
            Temperature = options?.Temperature,
            TopP = options?.TopP,
            TopK = options?.TopK,
            FrequencyPenalty = options?.FrequencyPenalty,
            PresencePenalty = options?.PresencePenalty,
            Seed = options?.Seed,
        };
        return raw is null ? fromOptions : raw.WithFallback(fromOptions);
    }

    public static ChatFinishReason ToFinishReason(Llama4FinishReason reason) => reason switch
    {
        Llama4FinishReason.Length => ChatFinishReason.Length,
        _ => ChatFinishReason.Stop,
    };

    public static UsageDetails ToUsage(Llama4GenerationUsage usage) => new()
    {
        InputTokenCount = usage.PromptTokens,
        OutputTokenCount = usage.OutputTokens,
        TotalTokenCount = usage.PromptTokens + usage.OutputTokens,
        CachedInputTokenCount = usage.CachedPromptTokens,
        AdditionalCounts = new AdditionalPropertiesDictionary<long>
        {
            [Llama4UsageCounts.QueueMilliseconds] = (long)usage.QueueTime.TotalMilliseconds,
            [Llama4UsageCounts.PromptMilliseconds] = (long)usage.PromptTime.TotalMilliseconds,
            [Llama4UsageCounts.GenerationMilliseconds] = (long)usage.GenerationTime.TotalMilliseconds,
            [Llama4UsageCounts.TimeToFirstTokenMilliseconds] = (long)usage.TimeToFirstToken.TotalMilliseconds,
        },
    };

    private static void ValidateOptions(ChatOptions? options, string servedModelId)
    {
        if (options is null)
        {
            return;
        }

        if (options.Tools is { Count: > 0 } && options.ToolMode is not NoneChatToolMode)
        {
            throw new NotSupportedException(
                "Llama4ChatClient does not offer tools to the model yet, and will not drop them silently: remove ChatOptions.Tools or set ToolMode to None.");
        }

        if (options.ResponseFormat is ChatResponseFormatJson)
        {
            throw new NotSupportedException(
                "Llama4ChatClient does not constrain output to JSON yet, and will not ignore the request: leave ChatOptions.ResponseFormat unset or Text.");
        }

        if (!string.IsNullOrEmpty(options.ConversationId))
        {
            throw new NotSupportedException(
                "Llama4ChatClient keeps no conversation state between calls: send the whole history in the messages and leave ChatOptions.ConversationId unset.");
        }

        if (!string.IsNullOrEmpty(options.ModelId) && !string.Equals(options.ModelId, servedModelId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"ChatOptions.ModelId is '{options.ModelId}', but this client serves '{servedModelId}'. Leave ModelId unset or use the id of the loaded model.",
                nameof(options));
        }

        if (options.MaxOutputTokens is < 1)
        {
            throw new ArgumentException($"ChatOptions.MaxOutputTokens is {options.MaxOutputTokens}; it must be at least 1 when set.", nameof(options));
        }
    }

    private static Llama4Role ToRole(ChatRole role)
    {
        if (role == ChatRole.User)
        {
            return Llama4Role.User;
        }

        if (role == ChatRole.Assistant)
        {
            return Llama4Role.Assistant;
        }

        if (role == ChatRole.System)
        {
            return Llama4Role.System;
        }

        if (role == ChatRole.Tool)
        {
            throw new NotSupportedException("Tool-result messages need tool calling, which Llama4ChatClient does not support yet.");
        }

        throw new NotSupportedException($"The chat role '{role.Value}' has no place in the Llama 4 format; use system, user or assistant.");
    }

    private static string ToText(ChatMessage message)
    {
        var builder = new StringBuilder();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    builder.Append(text.Text);
                    break;
                case UsageContent:
                    // Usage reports of earlier replies carry nothing for the model.
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                    throw new NotSupportedException(
                        $"The message contains an image ({data.MediaType}), and image input is not supported by this version of Llama4ChatClient. Remove the image or describe it in text.");
                case FunctionCallContent or FunctionResultContent:
                    throw new NotSupportedException(
                        $"The message contains {content.GetType().Name}, and tool calling is not supported by this version of Llama4ChatClient.");
                default:
                    throw new NotSupportedException(
                        $"Llama4ChatClient cannot send {content.GetType().Name} to the model; only text content is supported.");
            }
        }

        return builder.ToString();
    }
}
