using System.Runtime.CompilerServices;
using Llama4.Core;
using Microsoft.Extensions.AI;

namespace Llama4.Hosting.Tests.Resilience;

/// <summary>
/// Forwards to a real client, but fails the calls numbered in <c>failingCalls</c> (1-based) with the engine's native
/// failure, <see cref="Llama4InferenceException"/>: before the first update, or after <c>updatesBeforeFailure</c>
/// real updates. llama.cpp cannot be made to fail a decode on purpose, so this is the only injected part.
/// </summary>
internal sealed class FaultInjectingChatClient(IChatClient inner, Func<int, bool> failingCalls, int updatesBeforeFailure = 0) : DelegatingChatClient(inner)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls);
        var fail = failingCalls(call);
        var index = 0;
        if (fail && updatesBeforeFailure == 0)
        {
            throw new Llama4InferenceException("llama_decode failed (injected by the test).");
        }

        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
            if (fail && ++index == updatesBeforeFailure)
            {
                throw new Llama4InferenceException("llama_decode failed (injected by the test).");
            }
        }
    }
}
