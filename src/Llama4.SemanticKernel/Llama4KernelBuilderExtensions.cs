using Llama4.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.SemanticKernel;

/// <summary>Adds the in-process Llama 4 chat client to a Semantic Kernel <see cref="IKernelBuilder"/>.</summary>
public static class Llama4KernelBuilderExtensions
{
    /// <summary>
    /// Registers the Llama 4 engine and its <see cref="IChatClient"/> in the kernel's services (see
    /// <c>AddLlama4ChatClient</c> on <see cref="IServiceCollection"/>); kernel prompt functions and
    /// <c>AsChatCompletionService()</c> use it. The client pipeline includes Semantic Kernel's function invocation
    /// (<c>UseKernelFunctionInvocation</c>), so <c>FunctionChoiceBehavior</c> with auto-invocation runs kernel functions
    /// and their filters, as with Semantic Kernel's own connectors.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Configures the engine options (at least <see cref="Llama4EngineOptions.ModelPath"/>).</param>
    /// <param name="serviceId">A key for the service, to register several models side by side; <see langword="null"/> for the default service.</param>
    /// <param name="configureClient">Adds middleware to the chat client pipeline (for example <c>b => b.UseLogging()</c>); optional.</param>
    /// <returns>The same kernel builder.</returns>
    public static IKernelBuilder AddLlama4ChatClient(
        this IKernelBuilder builder,
        Action<Llama4EngineOptions> configure,
        string? serviceId = null,
        Action<ChatClientBuilder>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var clientBuilder = serviceId is null
            ? builder.Services.AddLlama4ChatClient(configure)
            : builder.Services.AddKeyedLlama4ChatClient(serviceId, configure);
        // Semantic Kernel's own connectors do the same: FunctionChoiceBehavior.Auto/Required with autoInvoke need the
        // kernel's function-invocation loop (and its filters) around the chat client.
        clientBuilder.UseKernelFunctionInvocation();
        configureClient?.Invoke(clientBuilder);
        return builder;
    }
}
