using Llama4.Core;
using Llama4.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>Adds the in-process Llama 4 model to a .NET generic host application (see docs/hosting.md).</summary>
public static class Llama4HostApplicationBuilderExtensions
{
    /// <summary>
    /// Binds the configuration section <paramref name="configSectionName"/> (appsettings.json, environment variables
    /// such as <c>Llama4__ModelPath</c>, any other provider of the host) and registers the model's hosted service, chat
    /// client, embedding generator, <see cref="Llama4ModelStatus"/> and <c>llama4</c> health check, as
    /// <see cref="Llama4HostingServiceCollectionExtensions.AddLlama4"/> describes.
    /// </summary>
    /// <param name="builder">The host application builder.</param>
    /// <param name="configSectionName">The configuration section. Default <c>Llama4</c>.</param>
    /// <param name="configureEngine">Changes the engine options after binding; optional.</param>
    /// <returns>The builder of the registered chat client, to chain <c>UseFunctionInvocation()</c>, <c>UseLlama4Resilience()</c> and other middleware.</returns>
    /// <exception cref="InvalidOperationException"><c>AddLlama4</c> was already called on the builder's services.</exception>
    public static ChatClientBuilder AddLlama4(this IHostApplicationBuilder builder, string configSectionName = "Llama4", Action<Llama4EngineOptions>? configureEngine = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configSectionName);
        return builder.Services.AddLlama4(builder.Configuration.GetSection(configSectionName), configureEngine);
    }
}
