using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Llama4.Hosting;

/// <summary>Work in progress.</summary>
public sealed class Llama4ResilientChatClient : DelegatingChatClient
{
    /// <summary>Creates the client.</summary>
    /// <param name="innerClient">The client to protect, normally a <c>Llama4ChatClient</c>.</param>
    /// <param name="options">The settings; defaults when null.</param>
    /// <param name="loggerFactory">Logs rejections, timeouts, retries and circuit changes.</param>
    /// <param name="meterFactory">Creates the <c>Llama4.Resilience</c> meter.</param>
    public Llama4ResilientChatClient(IChatClient innerClient, Llama4ResilienceOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
        : base(innerClient)
    {
        _ = options;
        _ = loggerFactory;
        _ = meterFactory;
    }
}
