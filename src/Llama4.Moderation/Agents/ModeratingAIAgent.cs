using System.Runtime.CompilerServices;
using Llama4.Moderation.Internal;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Llama4.Moderation;

/// <summary>
/// Agent Framework middleware that moderates an agent run: the input messages before the inner agent sees them (so a
/// session stores the redacted versions and never a blocked message) and the agent's assistant text after it (in
/// overlapping windows while streaming). Works with any <see cref="AIAgent"/>. Add it with
/// <c>agent.AsBuilder().UseLlama4Moderation()</c>.
/// </summary>
/// <remarks>
/// Tool calls inside the run happen within the inner agent: rail them with <c>UseLlama4ToolModeration()</c> on the
/// agent builder, or with <c>UseLlama4Moderation()</c> in the agent's chat client pipeline. The inner agent may keep the
/// unmoderated reply in its session (it stores the reply before this middleware sees it); with a
/// <c>ChatClientAgent</c>, moderating in the chat client pipeline as well keeps the session clean.
/// A block ends the run with <see cref="ChatFinishReason.ContentFilter"/> (or throws <see cref="ContentModeratedException"/>
/// when <see cref="ModerationOptions.ThrowOnBlock"/> is set), exactly as <see cref="ModeratingChatClient"/> does.
/// </remarks>
public sealed class ModeratingAIAgent : DelegatingAIAgent
{
    /// <summary>Creates the middleware.</summary>
    /// <param name="innerAgent">The agent to moderate.</param>
    /// <param name="guard">The moderator with its policy.</param>
    public ModeratingAIAgent(AIAgent innerAgent, ModerationGuard guard)
        : base(innerAgent)
    {
        ArgumentNullException.ThrowIfNull(guard);
        Guard = guard;
    }

    /// <summary>Gets the moderator with its policy.</summary>
    public ModerationGuard Guard { get; }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(ModerationGuard) ? Guard : base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    protected override async Task<AgentResponse> RunCoreAsync(
        IEnumerable<ChatMessage> messages,
        AgentSession? session = null,
        AgentRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (prepared, blocked) = await ConversationModeration.ModerateRequestAsync(Guard, [.. messages], latestTurnStart: 0, cancellationToken).ConfigureAwait(false);
        if (blocked is not null)
        {
            blocked.ThrowIfAsked(Guard.Options);
            return BlockedResponse(blocked, Guard.Options.BlockedInputText, response: null);
        }

        var response = await InnerAgent.RunAsync(prepared, session, options, cancellationToken).ConfigureAwait(false);
        var outputBlock = await ConversationModeration.ModerateResponseMessagesAsync(Guard, response.Messages, prepared, checkToolCalls: false, cancellationToken).ConfigureAwait(false);
        if (outputBlock is not null)
        {
            outputBlock.ThrowIfAsked(Guard.Options);
            return BlockedResponse(outputBlock, Guard.Options.BlockedOutputText, response);
        }

        return response;
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(
        IEnumerable<ChatMessage> messages,
        AgentSession? session = null,
        AgentRunOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (prepared, blocked) = await ConversationModeration.ModerateRequestAsync(Guard, [.. messages], latestTurnStart: 0, cancellationToken).ConfigureAwait(false);
        if (blocked is not null)
        {
            blocked.ThrowIfAsked(Guard.Options);
            yield return BlockedUpdate(blocked, Guard.Options.BlockedInputText, retract: false, template: null);
            yield break;
        }

        var text = new StreamingTextModeration(Guard, prepared);
        AgentResponseUpdate? template = null;
        BlockedContent? outputBlock = null;
        var enumerator = InnerAgent.RunStreamingAsync(prepared, session, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (outputBlock is null && await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                var update = enumerator.Current;
                template = update;
                var contents = new List<AIContent>();
                foreach (var content in update.Contents)
                {
                    StreamStep step;
                    if (content is TextContent textContent && update.Role != ChatRole.Tool && Guard.Options.CheckOutput)
                    {
                        step = await text.AppendAsync(textContent.Text, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        // Text before tool activity (or usage) is settled before it is shown.
                        step = await text.FlushAsync(cancellationToken).ConfigureAwait(false);
                        if (step.Blocked is null)
                        {
                            contents.Add(content);
                        }
                    }

                    outputBlock = step.Blocked is { } verdict ? new BlockedContent(ModerationSource.Assistant, verdict) : null;
                    if (outputBlock is not null)
                    {
                        break;
                    }

                    if (step.Release.Length > 0)
                    {
                        contents.Insert(contents.Count - (content is TextContent ? 0 : 1), new TextContent(step.Release));
                    }
                }

                if (outputBlock is null && update.FinishReason is not null)
                {
                    var step = await text.FlushAsync(cancellationToken).ConfigureAwait(false);
                    outputBlock = step.Blocked is { } verdict ? new BlockedContent(ModerationSource.Assistant, verdict) : null;
                    if (outputBlock is null && step.Release.Length > 0)
                    {
                        contents.Insert(0, new TextContent(step.Release));
                    }
                }

                if (outputBlock is null && (contents.Count > 0 || update.FinishReason is not null))
                {
                    yield return CopyWith(update, contents, keepFinish: true);
                }
            }
        }

        if (outputBlock is null)
        {
            var step = await text.FlushAsync(cancellationToken).ConfigureAwait(false);
            outputBlock = step.Blocked is { } verdict ? new BlockedContent(ModerationSource.Assistant, verdict) : null;
            if (outputBlock is null)
            {
                if (step.Release.Length > 0 && template is not null)
                {
                    yield return CopyWith(template, [new TextContent(step.Release)], keepFinish: false);
                }

                yield break;
            }
        }

        outputBlock.ThrowIfAsked(Guard.Options);
        yield return BlockedUpdate(outputBlock, Guard.Options.BlockedOutputText, Guard.Options.Streaming.OnBlock == StreamingBlockBehavior.Retract, template);
    }

    private AgentResponse BlockedResponse(BlockedContent blocked, string text, AgentResponse? response) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        AgentId = response?.AgentId ?? Id,
        ResponseId = response?.ResponseId,
        CreatedAt = response?.CreatedAt ?? DateTimeOffset.UtcNow,
        Usage = response?.Usage,
        FinishReason = ChatFinishReason.ContentFilter,
        AdditionalProperties = blocked.Describe(retract: false),
    };

    private AgentResponseUpdate BlockedUpdate(BlockedContent blocked, string text, bool retract, AgentResponseUpdate? template) =>
        new(ChatRole.Assistant, retract || template is null ? [new TextContent(text)] : [])
        {
            AgentId = template?.AgentId ?? Id,
            ResponseId = template?.ResponseId,
            MessageId = template?.MessageId,
            CreatedAt = template?.CreatedAt ?? DateTimeOffset.UtcNow,
            FinishReason = ChatFinishReason.ContentFilter,
            AdditionalProperties = blocked.Describe(retract),
        };

    private static AgentResponseUpdate CopyWith(AgentResponseUpdate update, IList<AIContent> contents, bool keepFinish) => new(update.Role, contents)
    {
        AuthorName = update.AuthorName,
        AgentId = update.AgentId,
        ResponseId = update.ResponseId,
        MessageId = update.MessageId,
        CreatedAt = update.CreatedAt,
        ContinuationToken = update.ContinuationToken,
        FinishReason = keepFinish ? update.FinishReason : null,
        AdditionalProperties = update.AdditionalProperties,
        RawRepresentation = update.RawRepresentation,
    };
}
