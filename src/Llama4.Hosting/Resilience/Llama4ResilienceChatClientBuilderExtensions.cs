using System.Diagnostics.Metrics;
using Llama4.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.AI;

/// <summary>Adds <see cref="Llama4ResilientChatClient"/> to a chat client pipeline.</summary>
public static class Llama4ResilienceChatClientBuilderExtensions
{
    /// <summary>
    /// Adds admission control, time-to-first-token, stall and total timeouts, retry before the first token, a circuit
    /// breaker on engine failures and the opt-in context-overflow reduction (see <see cref="Llama4ResilienceOptions"/>).
    /// Call it after <c>UseFunctionInvocation()</c> so that it sits closer to the model: a retry then re-runs only the
    /// model, never a tool; the client refuses to wrap a function-invoking client.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="configure">
    /// Changes the options; it runs on a copy of <c>IOptions&lt;Llama4ResilienceOptions&gt;</c> from the services when
    /// they are registered (for example bound from configuration), else on the defaults.
    /// </param>
    /// <returns>The builder, for chaining.</returns>
    public static ChatClientBuilder UseLlama4Resilience(this ChatClientBuilder builder, Action<Llama4ResilienceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var options = services.GetService<IOptions<Llama4ResilienceOptions>>()?.Value.Clone() ?? new Llama4ResilienceOptions();
            configure?.Invoke(options);
            return new Llama4ResilientChatClient(inner, options, services.GetService<ILoggerFactory>(), services.GetService<IMeterFactory>());
        });
    }
}
