using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Llama4.Hosting.Tests.Resilience;

/// <summary>
/// Forwards a real stream, but once it has received update number <c>stallAt</c> (0 = the first) from the engine it
/// holds it and waits until cancelled: the engine's sequence is live while the resilience client's timer runs out.
/// </summary>
internal sealed class StallingChatClient(IChatClient inner, int stallAt, Func<int> liveSequences) : DelegatingChatClient(inner)
{
    /// <summary>Gets the engine's live sequences when the stall began: 1 shows the request was still generating.</summary>
    public int LiveSequencesAtStall { get; private set; } = -1;

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var index = 0;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            if (index++ == stallAt)
            {
                LiveSequencesAtStall = liveSequences();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            yield return update;
        }
    }
}
