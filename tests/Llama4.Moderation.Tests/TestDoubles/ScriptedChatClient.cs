using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Llama4.Moderation.Tests.TestDoubles;

/// <summary>
/// A chat client that plays a script: each call gets the next response (or streamed updates) from a delegate, and
/// every request is recorded. For testing the moderation logic around a model, not the model.
/// </summary>
public sealed class ScriptedChatClient(Func<int, IReadOnlyList<ChatMessage>, ChatResponse> respond) : IChatClient
{
    private readonly Lock _lock = new();

    /// <summary>Gets the messages of every request, in call order.</summary>
    public List<List<ChatMessage>> Requests { get; } = [];

    /// <summary>Gets or sets the updates a streaming call yields; by default the response split into one update per word.</summary>
    public Func<int, IReadOnlyList<ChatMessage>, IReadOnlyList<ChatResponseUpdate>>? Stream { get; set; }

    /// <summary>Gets how many streamed updates were handed out.</summary>
    public int UpdatesYielded { get; private set; }

    /// <summary>Gets whether a streaming enumerator was disposed before the script ended.</summary>
    public bool StreamAbandoned { get; private set; }

    /// <summary>A client that always answers with the given text.</summary>
    public static ScriptedChatClient Replying(string text) => new((_, _) => Reply(text));

    /// <summary>A final assistant reply with usage.</summary>
    public static ChatResponse Reply(string text) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        FinishReason = ChatFinishReason.Stop,
        ResponseId = "response-1",
        ModelId = "scripted",
        Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15 },
    };

    /// <summary>A reply that calls a tool.</summary>
    public static ChatResponse Call(string callId, string name, IDictionary<string, object?> arguments) =>
        new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(callId, name, arguments)])) { FinishReason = ChatFinishReason.ToolCalls };

    /// <summary>Streamed updates of one message: the given text pieces, then a final update with usage.</summary>
    public static IReadOnlyList<ChatResponseUpdate> Updates(params string[] pieces)
    {
        var updates = pieces.Select(p => new ChatResponseUpdate(ChatRole.Assistant, p) { MessageId = "message-1", ResponseId = "response-1" }).ToList();
        updates.Add(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { OutputTokenCount = pieces.Length })])
        {
            MessageId = "message-1",
            ResponseId = "response-1",
            FinishReason = ChatFinishReason.Stop,
        });
        return updates;
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (index, list) = Record(messages);
        return Task.FromResult(respond(index, list));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (index, list) = Record(messages);
        var updates = Stream?.Invoke(index, list) ?? respond(index, list).ToChatResponseUpdates();
        var completed = false;
        try
        {
            foreach (var update in updates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
                UpdatesYielded++;
                yield return update;
            }

            completed = true;
        }
        finally
        {
            StreamAbandoned |= !completed;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private (int Index, List<ChatMessage> Messages) Record(IEnumerable<ChatMessage> messages)
    {
        lock (_lock)
        {
            var list = messages.Select(m => m.Clone()).ToList();
            Requests.Add(list);
            return (Requests.Count - 1, list);
        }
    }
}
