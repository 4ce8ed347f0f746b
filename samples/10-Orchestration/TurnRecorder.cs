using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Llama4.Extensions.AI;
using Microsoft.Extensions.AI;

/// <summary>Sits right above one agent's model client and records the usage of every call it makes.</summary>
internal sealed class TurnRecorder(IChatClient inner, string agent, ConcurrentQueue<AgentTurn> turns) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        Record(response.Usage);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var usage in update.Contents.OfType<UsageContent>())
            {
                Record(usage.Details);
            }

            yield return update;
        }
    }

    private void Record(UsageDetails? usage)
    {
        if (usage is null)
        {
            return;
        }

        var firstToken = usage.AdditionalCounts?.GetValueOrDefault(Llama4UsageCounts.TimeToFirstTokenMilliseconds) ?? 0;
        turns.Enqueue(new AgentTurn(agent, usage.InputTokenCount ?? 0, usage.CachedInputTokenCount ?? 0, usage.OutputTokenCount ?? 0, firstToken));
    }
}
