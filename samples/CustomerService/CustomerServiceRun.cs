using Microsoft.Extensions.AI;

namespace CustomerService;

/// <summary>What a run of the sample ended with: the conversation as saved, and how many messages it resumed.</summary>
internal sealed record CustomerServiceRun(int ResumedMessageCount, int Turns, IReadOnlyList<ChatMessage> History);
