using Llama4.Moderation;
using Llama4.Moderation.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds moderators to the <see cref="IContentModerator"/> that <c>AddLlama4Moderation()</c> registers. The moderators
/// run in the order they are added (a <see cref="CompositeContentModerator"/>: the first block wins, redactions
/// compose), so add cheap offline moderators first and Llama Guard last. Each built-in moderator is added once; calling
/// its method again only adds configuration. Options bind like any options
/// (<c>services.Configure&lt;PiiModeratorOptions&gt;(configuration.GetSection(...))</c>) and are validated.
/// </summary>
public sealed class Llama4ModerationBuilder
{
    internal static readonly object StageKey = new();

    internal Llama4ModerationBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds <see cref="PiiModerator"/> (personal data and secrets: redacted with typed placeholders).</summary>
    /// <param name="configure">Configures its options; optional.</param>
    /// <returns>This builder.</returns>
    public Llama4ModerationBuilder AddPiiDetection(Action<PiiModeratorOptions>? configure = null) =>
        AddBuiltIn(configure, o => o.Validate(), sp => new PiiModerator(Options<PiiModeratorOptions>(sp)));

    /// <summary>Adds <see cref="PromptInjectionModerator"/> (direct and indirect prompt-injection heuristics).</summary>
    /// <param name="configure">Configures its options; optional.</param>
    /// <returns>This builder.</returns>
    public Llama4ModerationBuilder AddPromptInjectionDetection(Action<PromptInjectionModeratorOptions>? configure = null) =>
        AddBuiltIn(configure, o => o.Validate(), sp => new PromptInjectionModerator(Options<PromptInjectionModeratorOptions>(sp)));

    /// <summary>Adds <see cref="RuleBasedModerator"/> (blocklists and regular-expression rules).</summary>
    /// <param name="configure">Adds the rules.</param>
    /// <returns>This builder.</returns>
    public Llama4ModerationBuilder AddRules(Action<RuleBasedModeratorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddBuiltIn(configure, o => o.Validate(), sp => new RuleBasedModerator(Options<RuleBasedModeratorOptions>(sp)));
    }

    /// <summary>Adds <see cref="TopicalModerator"/> (a topical allow-list for user messages).</summary>
    /// <param name="configure">Adds the topics.</param>
    /// <returns>This builder.</returns>
    public Llama4ModerationBuilder AddTopicalAllowList(Action<TopicalModeratorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddBuiltIn(configure, o => o.Validate(), sp => new TopicalModerator(Options<TopicalModeratorOptions>(sp)));
    }

    /// <summary>
    /// Adds <see cref="LlamaGuardModerator"/> on its own engine, loaded from <c>Engine.ModelPath</c> when the moderator
    /// is first resolved and disposed with the container.
    /// </summary>
    /// <param name="configure">Configures its options (at least <c>o.Engine.ModelPath</c>).</param>
    /// <returns>This builder.</returns>
    public Llama4ModerationBuilder AddLlamaGuard(Action<LlamaGuardModeratorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);

        // A DI factory is synchronous: resolve the moderator once at startup for a large model (see AddLlama4ChatClient).
        return AddBuiltIn(configure, o => o.Validate(), sp => LlamaGuardModerator
            .LoadAsync(Options<LlamaGuardModeratorOptions>(sp), sp.GetService<ILoggerFactory>())
            .GetAwaiter().GetResult());
    }

    /// <summary>Adds a moderator of your own, created by the container (once, as a singleton).</summary>
    /// <typeparam name="TModerator">The moderator type.</typeparam>
    /// <returns>This builder.</returns>
    public Llama4ModerationBuilder AddModerator<TModerator>()
        where TModerator : class, IContentModerator
    {
        Services.AddKeyedSingleton<IContentModerator, TModerator>(StageKey);
        return this;
    }

    /// <summary>Adds a moderator instance of your own.</summary>
    /// <param name="moderator">The moderator.</param>
    /// <returns>This builder.</returns>
    public Llama4ModerationBuilder AddModerator(IContentModerator moderator)
    {
        ArgumentNullException.ThrowIfNull(moderator);
        Services.AddKeyedSingleton(StageKey, moderator);
        return this;
    }

    /// <summary>Adds a moderator of your own, created by a factory (once, as a singleton).</summary>
    /// <param name="factory">Creates the moderator.</param>
    /// <returns>This builder.</returns>
    public Llama4ModerationBuilder AddModerator(Func<IServiceProvider, IContentModerator> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddKeyedSingleton(StageKey, (sp, _) => factory(sp));
        return this;
    }

    private static TOptions Options<TOptions>(IServiceProvider services)
        where TOptions : class =>
        services.GetRequiredService<IOptions<TOptions>>().Value;

    private Llama4ModerationBuilder AddBuiltIn<TOptions>(
        Action<TOptions>? configure,
        Func<TOptions, IReadOnlyList<string>> validate,
        Func<IServiceProvider, IContentModerator> factory)
        where TOptions : class
    {
        var options = Services.AddOptions<TOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new ListOptionsValidator<TOptions>(validate)));
        if (!Services.Any(d => d.ServiceType == typeof(StageMarker<TOptions>)))
        {
            Services.AddSingleton<StageMarker<TOptions>>();
            Services.AddKeyedSingleton(StageKey, (sp, _) => factory(sp));
        }

        return this;
    }

    /// <summary>Records that the built-in moderator configured by <typeparamref name="TOptions"/> is registered.</summary>
    private sealed class StageMarker<TOptions>;
}
