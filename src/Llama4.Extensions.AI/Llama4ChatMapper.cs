using System.Text;
using System.Text.Json;
using Llama4.Core;
using Llama4.Core.Prompting;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI;

/// <summary>Maps Microsoft.Extensions.AI messages and options to the engine's request, and the engine's results back.</summary>
internal static class Llama4ChatMapper
{
    public static Llama4GenerationRequest ToRequest(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        IChatClient client,
        string servedModelId,
        Llama4ChatClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ValidateOptions(options, servedModelId);

        var tools = ToToolOptions(options, clientOptions ?? new Llama4ChatClientOptions());
        var prompt = Llama4PromptFormatter.Format(ToLlama4Messages(messages, options?.Instructions), tools);
        return new Llama4GenerationRequest(prompt)
        {
            Sampling = ToSampling(options, client),
            MaxOutputTokens = options?.MaxOutputTokens,
            StopSequences = options?.StopSequences is { Count: > 0 } stops ? [.. stops] : [],
            Tools = tools,
            JsonResponse = options?.ResponseFormat is ChatResponseFormatJson json ? new Llama4JsonResponse(json.Schema) : null,
            ConversationId = options?.ConversationId,
        };
    }

    /// <summary>Formats a conversation as a request would, without the generation prompt (to find its cached sequence).</summary>
    public static Llama4Prompt ToConversationPrompt(IEnumerable<ChatMessage> messages, ChatOptions? options, Llama4ChatClientOptions clientOptions) =>
        Llama4PromptFormatter.Format(ToLlama4Messages(messages, options?.Instructions), ToToolOptions(options, clientOptions), addGenerationPrompt: false);

    public static List<Llama4Message> ToLlama4Messages(IEnumerable<ChatMessage> messages, string? instructions)
    {
        var result = new List<Llama4Message>();
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            AddMessage(result, message);
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

    public static Llama4ToolOptions? ToToolOptions(ChatOptions? options, Llama4ChatClientOptions clientOptions)
    {
        if (options?.Tools is not { Count: > 0 } tools || options.ToolMode is NoneChatToolMode)
        {
            return null;
        }

        var definitions = new List<Llama4ToolDefinition>(tools.Count);
        foreach (var tool in tools)
        {
            if (tool is not AIFunctionDeclaration function)
            {
                throw new NotSupportedException(
                    $"Llama4ChatClient can offer functions only; '{tool.Name}' is a {tool.GetType().Name}. Remove it from ChatOptions.Tools.");
            }

            definitions.Add(new Llama4ToolDefinition(function.Name, string.IsNullOrEmpty(function.Description) ? null : function.Description, function.JsonSchema));
        }

        var required = options.ToolMode as RequiredChatToolMode;
        if (required?.RequiredFunctionName is { } name && !definitions.Exists(d => d.Name == name))
        {
            throw new ArgumentException($"ToolMode requires the function '{name}', which is not among ChatOptions.Tools.", nameof(options));
        }

        return new Llama4ToolOptions(definitions)
        {
            Placement = clientOptions.ToolPlacement,
            Style = clientOptions.ToolCallStyle,
            Mode = required is null ? Llama4ToolMode.Auto : Llama4ToolMode.Required,
            RequiredToolName = required?.RequiredFunctionName,
            AllowMultipleCalls = options.AllowMultipleToolCalls ?? false,
        };
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
        Llama4FinishReason.ToolCalls => ChatFinishReason.ToolCalls,
        _ => ChatFinishReason.Stop,
    };

    public static FunctionCallContent ToFunctionCall(Llama4ToolCall call, string callId) =>
        new(callId, call.Name, call.Arguments.ToDictionary(a => a.Key, a => (object?)a.Value, StringComparer.Ordinal));

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
            [Llama4UsageCounts.ImageInputTokens] = usage.ImageTokens,
        },
    };

    private static void ValidateOptions(ChatOptions? options, string servedModelId)
    {
        if (options is null)
        {
            return;
        }

        if (!string.IsNullOrEmpty(options.ModelId) && !string.Equals(options.ModelId, servedModelId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"ChatOptions.ModelId is '{options.ModelId}', but this client serves '{servedModelId}'. Leave ModelId unset or use the id of the loaded model.",
                nameof(options));
        }

        if (options.ContinuationToken is not null)
        {
            throw new NotSupportedException(
                "ChatOptions.ContinuationToken is set, but Llama4ChatClient completes every response within the call and never returns a continuation token; it cannot resume a background response. Leave ContinuationToken null.");
        }

        if (options.MaxOutputTokens is < 1)
        {
            throw new ArgumentException($"ChatOptions.MaxOutputTokens is {options.MaxOutputTokens}; it must be at least 1 when set.", nameof(options));
        }
    }

    private static void AddMessage(List<Llama4Message> result, ChatMessage message)
    {
        var role = ToRole(message.Role);
        if (message.Contents.Count > 0 && message.Contents.All(c => c is InputRequestContent or InputResponseContent or UsageContent or TextReasoningContent or ErrorContent))
        {
            // A message of left-out contents only (approval requests or responses, usage, reasoning, errors) renders
            // no turn at all.
            return;
        }

        var text = new StringBuilder();
        var calls = new List<Llama4ToolCall>();
        var images = new List<Llama4Image>();
        var imagePositions = new List<int>();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent textContent:
                    text.Append(textContent.Text);
                    break;
                case UsageContent:
                    // Usage reports of earlier replies carry nothing for the model.
                    break;
                case TextReasoningContent or ErrorContent:
                    // Another model's reasoning (Llama 4 has no reasoning format to render it in) and error reports of
                    // earlier replies (failover, agent hand-offs) are not the conversation; they are left out.
                    break;
                case InputRequestContent or InputResponseContent:
                    // Approval requests and responses are a protocol between the application and the function
                    // invocation layer, which turns an approved request into the call and its result; they carry
                    // nothing for the model, and histories that an agent stores keep them.
                    break;
                case FunctionCallContent call:
                    calls.Add(new Llama4ToolCall(call.Name, ToJsonArguments(call.Arguments)));
                    break;
                case FunctionResultContent functionResult:
                    // Each result is its own ipython turn, JSON-encoded as Meta's template does (tojson).
                    FlushText(result, role, text, calls, images, imagePositions);
                    result.Add(new Llama4Message(Llama4Role.IPython, PythonStyleJson.Serialize(JsonSerializer.SerializeToElement(functionResult.Result, AIJsonUtilities.DefaultOptions))));
                    break;
                case DataContent data when data.HasTopLevelMediaType("image") && role == Llama4Role.User:
                    // In place among the text, as Meta's template keeps a message's contents in order.
                    images.Add(ToImage(data));
                    imagePositions.Add(text.Length);
                    break;
                case DataContent data:
                    throw data.HasTopLevelMediaType("image")
                        ? new Llama4ImageException(
                            Llama4ImageProblem.InvalidPlacement,
                            $"A {Llama4PromptFormatter.RoleName(role)} message carries an image ({data.MediaType}), but Llama 4 reads images only in user messages; move the image into a user message.")
                        : new NotSupportedException(
                            $"Llama4ChatClient cannot send DataContent of media type {data.MediaType} to the model. {SupportedContents} Convert the content to text (extract a document's text) first.");
                default:
                    throw new NotSupportedException(
                        $"Llama4ChatClient cannot send {content.GetType().Name} to the model. {SupportedContents}");
            }
        }

        FlushText(result, role, text, calls, images, imagePositions, final: true);
    }

    /// <summary>What the mapper sends, for the messages of <see cref="NotSupportedException"/>s.</summary>
    internal const string SupportedContents =
        "It sends TextContent, DataContent images (image/png, image/jpeg, image/gif or image/bmp) in user messages, " +
        "FunctionCallContent in assistant messages and FunctionResultContent; it leaves out UsageContent, " +
        "TextReasoningContent, ErrorContent and tool approval requests and responses.";

    /// <summary>The image media types llama.cpp's decoder (stb_image) reads, as <see cref="DataContent.MediaType"/> spells them.</summary>
    internal static IReadOnlyList<string> SupportedImageMediaTypes { get; } = ["image/png", "image/jpeg", "image/jpg", "image/pjpeg", "image/gif", "image/bmp", "image/x-ms-bmp", "image/x-bmp"];

    private static Llama4Image ToImage(DataContent data)
    {
        if (!SupportedImageMediaTypes.Contains(data.MediaType, StringComparer.OrdinalIgnoreCase))
        {
            throw new Llama4ImageException(
                Llama4ImageProblem.UnsupportedFormat,
                $"The message carries an image of type {data.MediaType}, which the model cannot read; send image/png, image/jpeg, image/gif or image/bmp.");
        }

        // The bytes are checked (format, structure, size) by the engine before mtmd decodes them.
        return new Llama4Image(data.Data, data.MediaType);
    }

    private static void FlushText(List<Llama4Message> result, Llama4Role role, StringBuilder text, List<Llama4ToolCall> calls, List<Llama4Image> images, List<int> imagePositions, bool final = false)
    {
        if (role == Llama4Role.IPython)
        {
            // Text in a tool message is a result too.
            if (text.Length > 0)
            {
                result.Add(new Llama4Message(Llama4Role.IPython, PythonStyleJson.Serialize(JsonSerializer.SerializeToElement(text.ToString()))));
            }
        }
        else if (text.Length > 0 || calls.Count > 0 || final)
        {
            if (calls.Count > 0 && role != Llama4Role.Assistant)
            {
                throw new NotSupportedException($"Function calls belong in assistant messages; this one is a {role} message.");
            }

            result.Add(new Llama4Message(role, text.ToString()) { ToolCalls = [.. calls], Images = [.. images], ImagePositions = [.. imagePositions] });
        }

        text.Clear();
        calls.Clear();
        images.Clear();
        imagePositions.Clear();
    }

    private static Dictionary<string, JsonElement> ToJsonArguments(IDictionary<string, object?>? arguments)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (arguments is null)
        {
            return result;
        }

        foreach (var (name, value) in arguments)
        {
            result[name] = value is JsonElement element ? element : JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions);
        }

        return result;
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
            return Llama4Role.IPython;
        }

        throw new NotSupportedException($"The chat role '{role.Value}' has no place in the Llama 4 format; use system, user, assistant or tool.");
    }
}
