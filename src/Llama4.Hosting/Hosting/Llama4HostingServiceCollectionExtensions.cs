using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Llama 4 model for the .NET generic host from configuration (see docs/hosting.md).</summary>
public static class Llama4HostingServiceCollectionExtensions
{
    /// <summary>
    /// Binds the Llama 4 settings from <paramref name="configuration"/> and registers a hosted service that validates,
    /// loads and warms the model in the background at host start, an <see cref="IChatClient"/> and an
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings over the one engine (they wait until the model
    /// is ready), the <see cref="Llama4ModelStatus"/>, and the <c>llama4</c> health check.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">
    /// The Llama 4 section: its keys bind <see cref="Llama4EngineOptions"/>; its sub-sections <c>ChatClient</c>,
    /// <c>Resilience</c> and <c>Hosting</c> bind <see cref="Llama4ChatClientOptions"/>,
    /// <see cref="Llama4ResilienceOptions"/> (for <c>UseLlama4Resilience</c>) and <see cref="Llama4HostingOptions"/>.
    /// Every setting, and every key that binds to nothing, is validated when the host starts.
    /// </param>
    /// <param name="configureEngine">Changes the engine options after binding; optional.</param>
    /// <returns>The builder of the registered chat client, to chain <c>UseFunctionInvocation()</c>, <c>UseLlama4Resilience()</c> and other middleware.</returns>
    /// <exception cref="InvalidOperationException"><c>AddLlama4</c> was already called on <paramref name="services"/>.</exception>
    public static ChatClientBuilder AddLlama4(this IServiceCollection services, IConfiguration configuration, Action<Llama4EngineOptions>? configureEngine = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(Llama4ModelHost)))
        {
            throw new InvalidOperationException(
                "AddLlama4 was already called on these services: one host serves one model. Use AddKeyedLlama4ChatClient for further models.");
        }

        var validator = new Llama4ConfigurationValidator(configuration);
        services.AddSingleton<IValidateOptions<Llama4EngineOptions>>(validator);
        services.AddSingleton<IValidateOptions<Llama4ChatClientOptions>>(validator);
        services.AddSingleton<IValidateOptions<Llama4ResilienceOptions>>(validator);
        services.AddSingleton<IValidateOptions<Llama4HostingOptions>>(validator);

        var engineOptions = services.AddOptions<Llama4EngineOptions>().Bind(configuration);
        if (configureEngine is not null)
        {
            engineOptions.Configure(configureEngine);
        }

        engineOptions.ValidateOnStart();
        services.AddOptions<Llama4ChatClientOptions>().Bind(configuration.GetSection(Llama4ConfigurationSchema.ChatClientSection)).ValidateOnStart();
        services.AddOptions<Llama4HostingOptions>().Bind(configuration.GetSection(Llama4ConfigurationSchema.HostingSection)).ValidateOnStart();

        // UseLlama4Resilience sizes admission to the engine it finds below it; the chat client is built before the model
        // has loaded, so an unset limit takes the configured MaxParallelSequences, which is what the engine will have.
        services.AddOptions<Llama4ResilienceOptions>()
            .Bind(configuration.GetSection(Llama4ConfigurationSchema.ResilienceSection))
            .PostConfigure<IOptions<Llama4EngineOptions>>((resilience, engine) => resilience.MaxConcurrentRequests ??= engine.Value.MaxParallelSequences)
            .ValidateOnStart();

        services.AddSingleton<Llama4ModelHost>();
        services.AddHostedService(sp => sp.GetRequiredService<Llama4ModelHost>());
        services.AddSingleton(sp => sp.GetRequiredService<Llama4ModelHost>().Status);
        services.AddHealthChecks().AddCheck<Llama4HealthCheck>(Llama4HealthCheck.Name, tags: Llama4HealthCheck.Tags);
        services.AddEmbeddingGenerator(sp => new Llama4HostedEmbeddingGenerator(sp.GetRequiredService<Llama4ModelHost>()));
        return services.AddChatClient(sp => new Llama4HostedChatClient(sp.GetRequiredService<Llama4ModelHost>()));
    }
}
