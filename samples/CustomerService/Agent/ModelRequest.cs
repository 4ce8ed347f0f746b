using Microsoft.Extensions.AI;

namespace CustomerService.Agent;

/// <summary>A request as the model received it.</summary>
internal sealed record ModelRequest(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options);
