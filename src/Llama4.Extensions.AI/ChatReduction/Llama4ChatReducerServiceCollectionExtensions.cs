using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.Extensions.AI.ChatReduction;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers a Llama 4 chat reducer as the container's <see cref="IChatReducer"/>, so that
/// <c>AddLlama4ChatClient(...).UseChatReducer()</c> (without an argument) picks it up.
/// </summary>
public static class Llama4ChatReducerServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="Llama4TruncatingChatReducer"/> over the container's <see cref="Llama4Engine"/>
    /// (registered by <c>AddLlama4ChatClient</c>), as itself and as <see cref="IChatReducer"/>. The options are
    /// validated when the reducer is first resolved.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the budget (at least <see cref="Llama4TruncatingChatReducerOptions.TokenBudget"/>).</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddLlama4TruncatingChatReducer(this IServiceCollection services, Action<Llama4TruncatingChatReducerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<Llama4TruncatingChatReducerOptions>().Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Llama4TruncatingChatReducerOptions>, ChatReducerOptionsValidator>());
        services.TryAddSingleton(sp => new Llama4TruncatingChatReducer(
            sp.GetRequiredService<Llama4Engine>(),
            sp.GetRequiredService<IOptions<Llama4TruncatingChatReducerOptions>>().Value,
            sp.GetService<ILogger<Llama4TruncatingChatReducer>>()));
        services.AddSingleton<IChatReducer>(sp => sp.GetRequiredService<Llama4TruncatingChatReducer>());
        return services;
    }

    /// <summary>
    /// Registers a singleton <see cref="Llama4SummarizingChatReducer"/> over the container's <see cref="Llama4Engine"/>
    /// (registered by <c>AddLlama4ChatClient</c>), as itself and as <see cref="IChatReducer"/>. Summaries are written by
    /// a plain <see cref="Llama4ChatClient"/> over the same engine (without the pipeline's middleware, so summary
    /// requests are never reduced themselves). The options are validated when the reducer is first resolved.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the budget (at least <see cref="Llama4SummarizingChatReducerOptions.TokenBudget"/>) and summary settings.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddLlama4SummarizingChatReducer(this IServiceCollection services, Action<Llama4SummarizingChatReducerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<Llama4SummarizingChatReducerOptions>().Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Llama4SummarizingChatReducerOptions>, ChatReducerOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var engine = sp.GetRequiredService<Llama4Engine>();
            return new Llama4SummarizingChatReducer(
                new Llama4ChatClient(engine),
                engine,
                sp.GetRequiredService<IOptions<Llama4SummarizingChatReducerOptions>>().Value,
                sp.GetService<ILogger<Llama4SummarizingChatReducer>>());
        });
        services.AddSingleton<IChatReducer>(sp => sp.GetRequiredService<Llama4SummarizingChatReducer>());
        return services;
    }
}
