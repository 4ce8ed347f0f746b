using System.Diagnostics.Metrics;
using Llama4.Core;
using Llama4.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the in-process Llama 4 engine, <see cref="Llama4ChatClient"/> and <see cref="Llama4EmbeddingGenerator"/>.</summary>
public static class Llama4ServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="Llama4Engine"/> (loaded on first use, disposed with the container) configured by
    /// <paramref name="configure"/> through <see cref="IOptions{TOptions}"/>, and an <see cref="IChatClient"/> over it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the engine options (at least <see cref="Llama4EngineOptions.ModelPath"/>).</param>
    /// <param name="lifetime">The chat client's lifetime. Default singleton.</param>
    /// <returns>A builder to add middleware such as <c>UseFunctionInvocation()</c> or <c>UseLogging()</c>.</returns>
    /// <remarks>How tools are presented and what happens on context overflow is configured with <c>services.Configure&lt;Llama4ChatClientOptions&gt;(...)</c>.</remarks>
    public static ChatClientBuilder AddLlama4ChatClient(
        this IServiceCollection services,
        Action<Llama4EngineOptions> configure,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddEngineOptions(services, Options.Options.DefaultName, configure);
        services.TryAddSingleton(sp => LoadEngine(sp, Options.Options.DefaultName));
        return services.AddChatClient(sp => new Llama4ChatClient(sp.GetRequiredService<Llama4Engine>(), ClientOptions(sp, Options.Options.DefaultName), sp.GetService<ILogger<Llama4ChatClient>>()), lifetime);
    }

    /// <summary>
    /// Registers a keyed singleton <see cref="Llama4Engine"/> and a keyed <see cref="IChatClient"/> over it, so that
    /// several models can live in one container. The engine options are the named options <c>serviceKey.ToString()</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key of the engine and the chat client.</param>
    /// <param name="configure">Configures the engine options.</param>
    /// <param name="lifetime">The chat client's lifetime. Default singleton.</param>
    /// <returns>A builder to add middleware.</returns>
    public static ChatClientBuilder AddKeyedLlama4ChatClient(
        this IServiceCollection services,
        object serviceKey,
        Action<Llama4EngineOptions> configure,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        var name = serviceKey.ToString() ?? throw new ArgumentException("The service key must have a string form (it names the engine options).", nameof(serviceKey));
        AddEngineOptions(services, name, configure);
        services.TryAddKeyedSingleton(serviceKey, (sp, _) => LoadEngine(sp, name));
        return services.AddKeyedChatClient(serviceKey, sp => new Llama4ChatClient(sp.GetRequiredKeyedService<Llama4Engine>(serviceKey), ClientOptions(sp, name), sp.GetService<ILogger<Llama4ChatClient>>()), lifetime);
    }

    /// <summary>
    /// Registers an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings over the singleton
    /// <see cref="Llama4Engine"/>: the engine that <see cref="AddLlama4ChatClient"/> registers, or, when there is none
    /// yet, one configured by <paramref name="configure"/>. Chat and embeddings then share the loaded weights.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">
    /// Configures the engine options when this call registers the engine; when the engine is registered by
    /// <see cref="AddLlama4ChatClient"/> as well, both configurations apply to the same options, in registration order.
    /// Optional when the engine is registered elsewhere.
    /// </param>
    /// <param name="lifetime">The generator's lifetime. Default singleton.</param>
    /// <returns>A builder to add middleware such as <c>UseLogging()</c> or <c>UseDistributedCache()</c>.</returns>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddLlama4EmbeddingGenerator(
        this IServiceCollection services,
        Action<Llama4EngineOptions>? configure = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (configure is not null)
        {
            AddEngineOptions(services, Options.Options.DefaultName, configure);
            services.TryAddSingleton(sp => LoadEngine(sp, Options.Options.DefaultName));
        }

        return services.AddEmbeddingGenerator(sp => new Llama4EmbeddingGenerator(sp.GetRequiredService<Llama4Engine>()), lifetime);
    }

    /// <summary>
    /// Registers a keyed <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings over the keyed singleton
    /// <see cref="Llama4Engine"/> of the same key: the one <see cref="AddKeyedLlama4ChatClient"/> registers, or, when
    /// there is none yet, one configured by <paramref name="configure"/> (named options <c>serviceKey.ToString()</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key of the engine and the generator.</param>
    /// <param name="configure">Configures the engine options when this call registers the engine; optional when the engine is registered elsewhere.</param>
    /// <param name="lifetime">The generator's lifetime. Default singleton.</param>
    /// <returns>A builder to add middleware.</returns>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddKeyedLlama4EmbeddingGenerator(
        this IServiceCollection services,
        object serviceKey,
        Action<Llama4EngineOptions>? configure = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        if (configure is not null)
        {
            var name = serviceKey.ToString() ?? throw new ArgumentException("The service key must have a string form (it names the engine options).", nameof(serviceKey));
            AddEngineOptions(services, name, configure);
            services.TryAddKeyedSingleton(serviceKey, (sp, _) => LoadEngine(sp, name));
        }

        return services.AddKeyedEmbeddingGenerator(serviceKey, sp => new Llama4EmbeddingGenerator(sp.GetRequiredKeyedService<Llama4Engine>(serviceKey)), lifetime);
    }

    private static void AddEngineOptions(IServiceCollection services, string name, Action<Llama4EngineOptions> configure)
    {
        services.AddOptions<Llama4EngineOptions>(name).Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Llama4EngineOptions>, Llama4EngineOptionsValidator>());
    }

    // Llama4ChatClientOptions are optional: configure them with services.Configure<Llama4ChatClientOptions>(name, ...).
    private static Llama4ChatClientOptions ClientOptions(IServiceProvider services, string name) =>
        services.GetService<IOptionsMonitor<Llama4ChatClientOptions>>()?.Get(name) ?? new Llama4ChatClientOptions();

    private static Llama4Engine LoadEngine(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<Llama4EngineOptions>>().Get(name);
        var loggerFactory = services.GetService<ILoggerFactory>();
        var meterFactory = services.GetService<IMeterFactory>();

        // A DI factory is synchronous. Loading memory-maps the file and is quick to return for the tiny model; for a
        // large model, resolve the engine once at startup (for example in a hosted service) rather than on a request.
        return Llama4Engine.LoadAsync(options, loggerFactory, meterFactory).GetAwaiter().GetResult();
    }
}
