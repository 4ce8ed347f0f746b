using Llama4.Moderation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Agents.AI;

/// <summary>Adds content moderation to an Agent Framework agent pipeline.</summary>
public static class ModerationAIAgentBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="ModeratingAIAgent"/> (input and output moderation of every run), using the
    /// <see cref="ModerationGuard"/> registered by <c>services.AddLlama4Moderation()</c> (or, with
    /// <paramref name="configure"/>, a guard over the registered moderator with changed options).
    /// </summary>
    /// <param name="builder">The agent builder.</param>
    /// <param name="configure">Changes a copy of the registered options for this agent; optional.</param>
    /// <returns>The builder.</returns>
    public static AIAgentBuilder UseLlama4Moderation(this AIAgentBuilder builder, Action<ModerationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new ModeratingAIAgent(inner, ResolveGuard(services, configure)));
    }

    /// <summary>Adds <see cref="ModeratingAIAgent"/> with a guard the caller built.</summary>
    /// <param name="builder">The agent builder.</param>
    /// <param name="guard">The guard.</param>
    /// <returns>The builder.</returns>
    public static AIAgentBuilder UseLlama4Moderation(this AIAgentBuilder builder, ModerationGuard guard)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(guard);
        return builder.Use(inner => new ModeratingAIAgent(inner, guard));
    }

    /// <summary>
    /// Adds Agent Framework function middleware that moderates tool calls of a <c>ChatClientAgent</c>: the arguments
    /// before the tool runs (redacted in place, or the call is skipped and reports
    /// <see cref="ModerationOptions.BlockedToolCallText"/>) and the result before the model reads it (redacted, or
    /// replaced with <see cref="ModerationOptions.WithheldToolResultText"/>). With
    /// <see cref="ModerationOptions.ThrowOnBlock"/>, a block throws <see cref="ContentModeratedException"/> instead.
    /// </summary>
    /// <param name="builder">The agent builder.</param>
    /// <param name="guard">The guard; <see langword="null"/> to use the registered one.</param>
    /// <returns>The builder.</returns>
    public static AIAgentBuilder UseLlama4ToolModeration(this AIAgentBuilder builder, ModerationGuard? guard = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var resolved = guard ?? ResolveGuard(services, configure: null);
            return new AIAgentBuilder(inner)
                .Use((agent, context, next, cancellationToken) => ModerateToolCallAsync(resolved, context, next, cancellationToken))
                .Build(services);
        });
    }

    private static async ValueTask<object?> ModerateToolCallAsync(
        ModerationGuard guard,
        FunctionInvocationContext context,
        Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>> next,
        CancellationToken cancellationToken)
    {
        var options = guard.Options;
        var name = context.Function.Name;
        var history = context.Messages as IReadOnlyList<ChatMessage> ?? [.. context.Messages];
        if (options.CheckToolArguments && context.Arguments.Count > 0)
        {
            var verdict = await guard.CheckToolArgumentsAsync(name, context.Arguments, history, cancellationToken).ConfigureAwait(false);
            if (verdict.Action == ModerationAction.Block)
            {
                return options.ThrowOnBlock
                    ? throw new ContentModeratedException(ModerationSource.ToolArguments, verdict)
                    : options.BlockedToolCallText;
            }
        }

        var result = await next(context, cancellationToken).ConfigureAwait(false);
        if (!options.CheckToolResults)
        {
            return result;
        }

        var resultVerdict = await guard.CheckToolResultAsync(result, name, history, cancellationToken).ConfigureAwait(false);
        return resultVerdict.Action switch
        {
            ModerationAction.Block when options.ThrowOnBlock => throw new ContentModeratedException(ModerationSource.ToolResult, resultVerdict),
            ModerationAction.Block => options.WithheldToolResultText,
            ModerationAction.Redact => resultVerdict.RedactedText,
            _ => result,
        };
    }

    private static ModerationGuard ResolveGuard(IServiceProvider services, Action<ModerationOptions>? configure)
    {
        var guard = configure is null ? services.GetService<ModerationGuard>() : null;
        return guard ?? ModerationChatClientBuilderExtensions.CreateGuard(services, ModerationChatClientBuilderExtensions.RegisteredModerator(services), configure);
    }
}
