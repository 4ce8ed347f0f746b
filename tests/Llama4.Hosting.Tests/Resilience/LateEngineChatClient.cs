using Llama4.Core;
using Microsoft.Extensions.AI;

namespace Llama4.Hosting.Tests.Resilience;

/// <summary>Hides the engine behind it from <see cref="GetService"/> until <see cref="EngineVisible"/> is set, as a client whose model is still loading does.</summary>
internal sealed class LateEngineChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public bool EngineVisible { get; set; }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(Llama4Engine) && !EngineVisible ? null : base.GetService(serviceType, serviceKey);
}
