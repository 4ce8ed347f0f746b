using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Llama4.Moderation.Internal;
using Microsoft.Extensions.AI;

namespace Llama4.Moderation;

/// <summary>
/// Chat client middleware that moderates what goes into the model and what comes out of it, on every call:
/// request messages before inference (user text, tool results, marked documents, and the history re-sent with each
/// request), the reply after inference (in overlapping windows while streaming), and the tool calls in the reply
/// before anything runs them. Add it with <c>UseLlama4Moderation()</c> AFTER <c>UseFunctionInvocation()</c>, so that it
/// sits between the function invoker and the model: then it sees every round trip, redacts or blocks tool arguments
/// before a tool runs, and checks tool results before the model reads them.
/// </summary>
/// <remarks>
/// <para>
/// A block ends the reply with <see cref="ChatFinishReason.ContentFilter"/> and a single assistant message
/// (<see cref="ModerationOptions.BlockedInputText"/> or <see cref="ModerationOptions.BlockedOutputText"/>), or throws
/// <see cref="ContentModeratedException"/> when <see cref="ModerationOptions.ThrowOnBlock"/> is set. Blocked responses
/// and updates carry <see cref="ModerationProperties.Categories"/> and <see cref="ModerationProperties.BlockedSource"/>.
/// A blocked tool result is replaced with <see cref="ModerationOptions.WithheldToolResultText"/> and the turn goes on.
/// </para>
/// <para>
/// Streaming: text is released only after it was checked. On a block the inner stream is disposed at once (for
/// <c>Llama4ChatClient</c> this stops decoding and frees the sequence), and a final update ends the stream with
/// <see cref="ChatFinishReason.ContentFilter"/>; with <see cref="StreamingBlockBehavior.Retract"/> it carries
/// <see cref="ModerationOptions.BlockedOutputText"/> and <see cref="ModerationProperties.Retract"/> = <see langword="true"/>.
/// A blocked stream has no usage update.
/// </para>
/// </remarks>
public sealed class ModeratingChatClient : DelegatingChatClient
{
    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The client to moderate.</param>
    /// <param name="guard">The moderator with its policy.</param>
    public ModeratingChatClient(IChatClient innerClient, ModerationGuard guard)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(guard);
        Guard = guard;
    }

    /// <summary>Gets the moderator with its policy.</summary>
    public ModerationGuard Guard { get; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var (prepared, blocked) = await ConversationModeration.ModerateRequestAsync(
            Guard, request, ConversationModeration.LatestTurnStart(request), cancellationToken).ConfigureAwait(false);
        if (blocked is not null)
        {
            blocked.ThrowIfAsked(Guard.Options);
            return BlockedResponse(blocked, Guard.Options.BlockedInputText, response: null);
        }

        var response = await base.GetResponseAsync(prepared, options, cancellationToken).ConfigureAwait(false);
        var outputBlock = await ConversationModeration.ModerateResponseMessagesAsync(Guard, response.Messages, prepared, checkToolCalls: true, cancellationToken).ConfigureAwait(false);
        if (outputBlock is not null)
        {
            outputBlock.ThrowIfAsked(Guard.Options);
            return BlockedResponse(outputBlock, Guard.Options.BlockedOutputText, response);
        }

        return response;
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return StreamAsync(messages as IReadOnlyList<ChatMessage> ?? [.. messages], options, cancellationToken);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(ModerationGuard) ? Guard : base.GetService(serviceType, serviceKey);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        IReadOnlyList<ChatMessage> request,
        ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (prepared, blocked) = await ConversationModeration.ModerateRequestAsync(
            Guard, request, ConversationModeration.LatestTurnStart(request), cancellationToken).ConfigureAwait(false);
        if (blocked is not null)
        {
            blocked.ThrowIfAsked(Guard.Options);
            yield return BlockedUpdate(blocked, Guard.Options.BlockedInputText, retract: false, template: null);
            yield break;
        }

        var moderation = Guard.Options;
        var text = new StreamingTextModeration(Guard, prepared);
        var history = new List<ChatMessage>(prepared);
        ChatResponseUpdate? template = null;
        BlockedContent? outputBlock = null;
        var enumerator = base.GetStreamingResponseAsync(prepared, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (outputBlock is null && await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                var update = enumerator.Current;
                template = update;
                var contents = new List<AIContent>();
                foreach (var content in update.Contents)
                {
                    if (content is TextContent textContent && moderation.CheckOutput)
                    {
                        var step = await text.AppendAsync(textContent.Text, cancellationToken).ConfigureAwait(false);
                        outputBlock = Blocked(step);
                        AddText(contents, step.Release);
                    }
                    else if (content is FunctionCallContent call)
                    {
                        // Text before a call is settled before the call is shown.
                        var step = await text.FlushAsync(cancellationToken).ConfigureAwait(false);
                        outputBlock = Blocked(step);
                        AddText(contents, step.Release);
                        if (outputBlock is null && moderation.CheckToolArguments && call.Arguments is { Count: > 0 })
                        {
                            var verdict = await Guard.CheckToolArgumentsAsync(call.Name, call.Arguments, history, cancellationToken).ConfigureAwait(false);
                            outputBlock = verdict.Action == ModerationAction.Block ? new BlockedContent(ModerationSource.ToolArguments, verdict) : null;
                        }

                        contents.Add(call);
                    }
                    else
                    {
                        contents.Add(content);
                    }

                    if (outputBlock is not null)
                    {
                        break;
                    }
                }

                if (outputBlock is not null)
                {
                    break;
                }

                if (update.FinishReason is not null)
                {
                    // The final update: everything still held back is checked and released before it.
                    var step = await text.FlushAsync(cancellationToken).ConfigureAwait(false);
                    outputBlock = Blocked(step);
                    if (outputBlock is not null)
                    {
                        break;
                    }

                    if (step.Release.Length > 0)
                    {
                        contents.Insert(0, new TextContent(step.Release));
                    }
                }

                if (contents.Count > 0 || update.FinishReason is not null)
                {
                    yield return CopyWith(update, contents);
                }
            }
        }

        if (outputBlock is null)
        {
            // A stream that ended without a final update still releases its checked text.
            var step = await text.FlushAsync(cancellationToken).ConfigureAwait(false);
            outputBlock = Blocked(step);
            if (outputBlock is null)
            {
                if (step.Release.Length > 0 && template is not null)
                {
                    yield return CopyWith(template, [new TextContent(step.Release)], keepFinish: false);
                }

                yield break;
            }
        }

        // The inner enumerator is disposed by now: generation has stopped.
        outputBlock.ThrowIfAsked(Guard.Options);
        var retract = moderation.Streaming.OnBlock == StreamingBlockBehavior.Retract;
        yield return BlockedUpdate(outputBlock, moderation.BlockedOutputText, retract, template);
    }

    private static BlockedContent? Blocked(StreamStep step) =>
        step.Blocked is { } verdict ? new BlockedContent(ModerationSource.Assistant, verdict) : null;

    private static void AddText(List<AIContent> contents, string text)
    {
        if (text.Length > 0)
        {
            contents.Add(new TextContent(text));
        }
    }

    private static ChatResponseUpdate CopyWith(ChatResponseUpdate update, IList<AIContent> contents, bool keepFinish = true) => new(update.Role, contents)
    {
        AuthorName = update.AuthorName,
        ResponseId = update.ResponseId,
        MessageId = update.MessageId,
        ConversationId = update.ConversationId,
        ModelId = update.ModelId,
        CreatedAt = update.CreatedAt,
        FinishReason = keepFinish ? update.FinishReason : null,
        AdditionalProperties = update.AdditionalProperties,
        RawRepresentation = update.RawRepresentation,
    };

    private static ChatResponse BlockedResponse(BlockedContent blocked, string text, ChatResponse? response) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        FinishReason = ChatFinishReason.ContentFilter,
        ResponseId = response?.ResponseId,
        ConversationId = response?.ConversationId,
        ModelId = response?.ModelId,
        CreatedAt = response?.CreatedAt ?? DateTimeOffset.UtcNow,
        Usage = response?.Usage,
        AdditionalProperties = blocked.Describe(retract: false),
    };

    private static ChatResponseUpdate BlockedUpdate(BlockedContent blocked, string text, bool retract, ChatResponseUpdate? template) =>
        new(ChatRole.Assistant, retract || template is null ? [new TextContent(text)] : [])
        {
            FinishReason = ChatFinishReason.ContentFilter,
            ResponseId = template?.ResponseId,
            MessageId = template?.MessageId ?? RandomNumberGenerator.GetHexString(16, lowercase: true),
            ConversationId = template?.ConversationId,
            ModelId = template?.ModelId,
            CreatedAt = template?.CreatedAt ?? DateTimeOffset.UtcNow,
            AdditionalProperties = blocked.Describe(retract),
        };
}
