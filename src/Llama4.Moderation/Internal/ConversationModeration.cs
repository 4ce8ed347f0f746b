using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Llama4.Moderation.Internal;

/// <summary>Moderates the messages of a request and the messages of a response (shared by the chat client and the agent).</summary>
internal static class ConversationModeration
{
    /// <summary>
    /// Checks every message of a request with its source and returns the messages the model may read (copies where
    /// something was redacted or withheld; the caller's messages are never changed). A block in the latest turn (from
    /// <paramref name="latestTurnStart"/> on) blocks the request; earlier blocked messages are withheld from the model.
    /// </summary>
    public static async ValueTask<(List<ChatMessage> Messages, BlockedContent? Blocked)> ModerateRequestAsync(
        ModerationGuard guard,
        IReadOnlyList<ChatMessage> messages,
        int latestTurnStart,
        CancellationToken cancellationToken)
    {
        var options = guard.Options;
        var result = new List<ChatMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var latest = i >= latestTurnStart;
            var source = SourceOf(message);
            List<ChatMessage> history = [.. result];
            List<AIContent>? contents = null;
            DataContent[] images = [.. message.Contents.OfType<DataContent>().Where(d => d.HasTopLevelMediaType("image"))];
            var imagesChecked = false;
            var withholdImages = false;
            for (var j = 0; j < message.Contents.Count; j++)
            {
                var content = message.Contents[j];
                AIContent? replacement = null;
                switch (content)
                {
                    case TextContent text when source is { } textSource && ShouldCheckText(options, textSource) && text.Text.Length > 0:
                        imagesChecked = true;
                        var textVerdict = await guard.CheckCachedAsync(new ModerationRequest(text.Text, textSource) { History = history, Images = images }, cancellationToken).ConfigureAwait(false);
                        if (textVerdict.Action == ModerationAction.Block)
                        {
                            if (latest)
                            {
                                return (result, new BlockedContent(textSource, textVerdict));
                            }

                            replacement = new TextContent(options.WithheldMessageText);
                            withholdImages = images.Length > 0;
                        }
                        else if (textVerdict.Action == ModerationAction.Redact)
                        {
                            replacement = new TextContent(textVerdict.RedactedText) { AdditionalProperties = text.AdditionalProperties };
                        }

                        break;
                    case FunctionResultContent functionResult when options.CheckToolResults:
                        var resultText = ModerationGuard.RenderValue(functionResult.Result);
                        if (resultText.Length == 0)
                        {
                            break;
                        }

                        var resultVerdict = await guard.CheckCachedAsync(
                            new ModerationRequest(resultText, ModerationSource.ToolResult) { History = history, ToolName = ToolNameOf(messages, i, functionResult.CallId) },
                            cancellationToken).ConfigureAwait(false);
                        if (resultVerdict.Action == ModerationAction.Block)
                        {
                            if (latest && options.ThrowOnBlock)
                            {
                                return (result, new BlockedContent(ModerationSource.ToolResult, resultVerdict));
                            }

                            replacement = new FunctionResultContent(functionResult.CallId, options.WithheldToolResultText);
                        }
                        else if (resultVerdict.Action == ModerationAction.Redact)
                        {
                            replacement = new FunctionResultContent(functionResult.CallId, resultVerdict.RedactedText);
                        }

                        break;
                    case FunctionCallContent call when options.CheckToolArguments && call.Arguments is { Count: > 0 }:
                        var arguments = new Dictionary<string, object?>(call.Arguments, StringComparer.Ordinal);
                        var argumentsVerdict = await guard.CheckToolArgumentsAsync(call.Name, arguments, history, cached: true, cancellationToken).ConfigureAwait(false);
                        if (argumentsVerdict.Action == ModerationAction.Block)
                        {
                            replacement = new FunctionCallContent(call.CallId, call.Name, new Dictionary<string, object?>());
                        }
                        else if (argumentsVerdict.Action == ModerationAction.Redact)
                        {
                            replacement = new FunctionCallContent(call.CallId, call.Name, arguments);
                        }

                        break;
                }

                if (replacement is not null)
                {
                    contents ??= [.. message.Contents];
                    contents[j] = replacement;
                }
            }

            if (withholdImages)
            {
                // The verdict covered the text with its images: the images are withheld with the text.
                contents = [.. contents!.Where(c => c is not DataContent d || !d.HasTopLevelMediaType("image"))];
            }

            if (!imagesChecked && images.Length > 0 && source is { } imageSource && ShouldCheckText(options, imageSource))
            {
                // Images without text: checked on their own, as an empty text with the images.
                var imageVerdict = await guard.CheckCachedAsync(new ModerationRequest(string.Empty, imageSource) { History = history, Images = images }, cancellationToken).ConfigureAwait(false);
                if (imageVerdict.Action == ModerationAction.Block)
                {
                    if (latest)
                    {
                        return (result, new BlockedContent(imageSource, imageVerdict));
                    }

                    contents ??= [.. message.Contents];
                    contents = [.. contents.Where(c => c is not DataContent d || !d.HasTopLevelMediaType("image")), new TextContent(options.WithheldMessageText)];
                }
            }

            if (contents is null)
            {
                result.Add(message);
            }
            else
            {
                var copy = message.Clone();
                copy.Contents = contents;
                result.Add(copy);
            }
        }

        return (result, null);
    }

    /// <summary>The index of the first message after the last assistant message (the turn the caller just added).</summary>
    public static int LatestTurnStart(IReadOnlyList<ChatMessage> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.Assistant)
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>
    /// Checks the text and tool calls of response messages in place (redactions replace contents). Returns the first
    /// block, or <see langword="null"/>.
    /// </summary>
    public static async ValueTask<BlockedContent?> ModerateResponseMessagesAsync(
        ModerationGuard guard,
        IList<ChatMessage> responseMessages,
        IReadOnlyList<ChatMessage> requestMessages,
        bool checkToolCalls,
        CancellationToken cancellationToken)
    {
        var options = guard.Options;
        var history = new List<ChatMessage>(requestMessages);
        foreach (var message in responseMessages)
        {
            for (var j = 0; j < message.Contents.Count; j++)
            {
                switch (message.Contents[j])
                {
                    case TextContent text when options.CheckOutput && message.Role == ChatRole.Assistant && text.Text.Length > 0:
                        var verdict = await guard.CheckAsync(new ModerationRequest(text.Text, ModerationSource.Assistant) { History = [.. history] }, cancellationToken).ConfigureAwait(false);
                        if (verdict.Action == ModerationAction.Block)
                        {
                            return new BlockedContent(ModerationSource.Assistant, verdict);
                        }

                        if (verdict.Action == ModerationAction.Redact)
                        {
                            message.Contents[j] = new TextContent(verdict.RedactedText) { AdditionalProperties = text.AdditionalProperties };
                        }

                        break;
                    case FunctionCallContent call when checkToolCalls && options.CheckToolArguments && call.Arguments is { Count: > 0 }:
                        var argumentsVerdict = await guard.CheckToolArgumentsAsync(call.Name, call.Arguments, [.. history], cancellationToken).ConfigureAwait(false);
                        if (argumentsVerdict.Action == ModerationAction.Block)
                        {
                            return new BlockedContent(ModerationSource.ToolArguments, argumentsVerdict);
                        }

                        break;
                }
            }

            history.Add(message);
        }

        return null;
    }

    /// <summary>The source a request message is checked as, or <see langword="null"/> for an unmarked system message.</summary>
    public static ModerationSource? SourceOf(ChatMessage message)
    {
        if (message.AdditionalProperties?.TryGetValue(ModerationProperties.MessageSource, out var marked) == true)
        {
            var name = marked switch
            {
                string s => s,
                ModerationSource s => s.ToString(),
                JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
                _ => null,
            };
            if (Enum.TryParse<ModerationSource>(name, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                return parsed;
            }
        }

        return message.Role == ChatRole.System ? null
            : message.Role == ChatRole.Assistant ? ModerationSource.Assistant
            : message.Role == ChatRole.Tool ? ModerationSource.ToolResult
            : ModerationSource.User;
    }

    private static bool ShouldCheckText(ModerationOptions options, ModerationSource source) => source switch
    {
        ModerationSource.Assistant => options.CheckOutput,
        ModerationSource.ToolResult => options.CheckToolResults,
        ModerationSource.ToolArguments => options.CheckToolArguments,
        _ => options.CheckInput,
    };

    private static string? ToolNameOf(IReadOnlyList<ChatMessage> messages, int before, string callId)
    {
        for (var i = before - 1; i >= 0; i--)
        {
            foreach (var content in messages[i].Contents)
            {
                if (content is FunctionCallContent call && call.CallId == callId)
                {
                    return call.Name;
                }
            }
        }

        return null;
    }
}
