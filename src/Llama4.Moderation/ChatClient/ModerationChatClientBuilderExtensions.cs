using System.Diagnostics.Metrics;
using Llama4.Moderation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.AI;

/// <summary>Adds <see cref="ModeratingChatClient"/> to a chat client pipeline.</summary>
public static class ModerationChatClientBuilderExtensions
{
    /// <summary>
    /// Adds content moderation to the pipeline, using the <see cref="ModerationGuard"/> registered by
    /// <c>services.AddLlama4Moderation()</c> (or, with <paramref name="configure"/>, a guard over the registered
    /// <see cref="IContentModerator"/> with the registered options changed by <paramref name="configure"/>).
    /// Call it AFTER <c>UseFunctionInvocation()</c> so that tool calls and tool results pass through it.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="configure">Changes a copy of the registered <see cref="ModerationOptions"/> for this pipeline; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">(When the client is built) no moderator is registered.</exception>
    public static ChatClientBuilder UseLlama4Moderation(this ChatClientBuilder builder, Action<ModerationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var guard = configure is null ? services.GetService<ModerationGuard>() : null;
            guard ??= CreateGuard(services, RegisteredModerator(services), configure);
            return new ModeratingChatClient(inner, guard);
        });
    }

    /// <summary>
    /// Adds content moderation with the given moderator (no registration needed); options come from the registered
    /// <see cref="ModerationOptions"/> when there are any, changed by <paramref name="configure"/>.
    /// Call it AFTER <c>UseFunctionInvocation()</c> so that tool calls and tool results pass through it.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="moderator">The moderator.</param>
    /// <param name="configure">Changes the options for this pipeline; optional.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseLlama4Moderation(this ChatClientBuilder builder, IContentModerator moderator, Action<ModerationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(moderator);
        return builder.Use((inner, services) => new ModeratingChatClient(inner, CreateGuard(services, moderator, configure)));
    }

    /// <summary>Adds content moderation with a guard the caller built (its moderator, options, logging and metrics).</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="guard">The guard.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseLlama4Moderation(this ChatClientBuilder builder, ModerationGuard guard)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(guard);
        return builder.Use(inner => new ModeratingChatClient(inner, guard));
    }

    internal static IContentModerator RegisteredModerator(IServiceProvider services) =>
        services.GetService<IContentModerator>() ?? throw new InvalidOperationException(
            "No IContentModerator is registered. Register moderators with services.AddLlama4Moderation().AddPiiDetection() " +
            "(and AddPromptInjectionDetection(), AddRules(...), AddTopicalAllowList(...), AddLlamaGuard(...)), or pass a moderator to UseLlama4Moderation(moderator).");

    internal static ModerationGuard CreateGuard(IServiceProvider services, IContentModerator moderator, Action<ModerationOptions>? configure)
    {
        var options = services.GetService<IOptions<ModerationOptions>>()?.Value.Clone() ?? new ModerationOptions();
        configure?.Invoke(options);
        return new ModerationGuard(moderator, options, services.GetService<ILoggerFactory>(), services.GetService<IMeterFactory>());
    }
}
