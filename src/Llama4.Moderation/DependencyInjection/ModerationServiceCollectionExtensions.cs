using System.Diagnostics.Metrics;
using Llama4.Moderation;
using Llama4.Moderation.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers content moderation.</summary>
public static class ModerationServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ModerationOptions"/> (validated), an <see cref="IContentModerator"/> that runs the moderators
    /// added through the returned builder in order, and a singleton <see cref="ModerationGuard"/> that
    /// <c>UseLlama4Moderation()</c>, the Semantic Kernel filters and the Agent Framework middleware use.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options; optional.</param>
    /// <returns>A builder to add moderators (<c>AddPiiDetection()</c>, <c>AddPromptInjectionDetection()</c>...).</returns>
    public static Llama4ModerationBuilder AddLlama4Moderation(this IServiceCollection services, Action<ModerationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ModerationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModerationOptions>>(
            new ListOptionsValidator<ModerationOptions>(o => o.Validate())));
        services.TryAddSingleton<IContentModerator>(sp =>
        {
            var stages = sp.GetKeyedServices<IContentModerator>(Llama4ModerationBuilder.StageKey).ToList();
            return stages.Count switch
            {
                0 => throw new InvalidOperationException(
                    "AddLlama4Moderation() was called but no moderator was added: chain AddPiiDetection(), AddPromptInjectionDetection(), " +
                    "AddRules(...), AddTopicalAllowList(...), AddLlamaGuard(...) or AddModerator(...) to it."),
                1 => stages[0],
                _ => new CompositeContentModerator(stages),
            };
        });
        services.TryAddSingleton(sp => new ModerationGuard(
            sp.GetRequiredService<IContentModerator>(),
            sp.GetRequiredService<IOptions<ModerationOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>()));
        return new Llama4ModerationBuilder(services);
    }
}
