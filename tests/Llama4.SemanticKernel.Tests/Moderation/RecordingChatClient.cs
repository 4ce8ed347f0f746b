using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Llama4.SemanticKernel.Tests.Moderation;

/// <summary>A scripted chat client that records what it was sent (the moderation logic is under test, not a model).</summary>
internal sealed class RecordingChatClient(Func<int, ChatResponse> respond) : IChatClient
{
    public List<List<ChatMessage>> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests.Add([.. messages]);
        return Task.FromResult(respond(Requests.Count - 1));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null :
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("recording", defaultModelId: "scripted") :
        serviceType.IsInstanceOfType(this) ? this :
        null;

    public void Dispose()
    {
    }
}
