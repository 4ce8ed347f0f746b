using Microsoft.Extensions.AI;

namespace CustomerService.Agent;

/// <summary>
/// The innermost middleware: remembers the last request exactly as the model receives it (after reduction and
/// moderation), so the console can show what the model read and the conversation's KV cache can be saved for it.
/// </summary>
internal sealed class ModelInputRecorder(IChatClient inner) : DelegatingChatClient(inner)
{
    private readonly Lock _gate = new();
    private ModelRequest? _last;

    /// <summary>Gets the last request sent to the model, or <see langword="null"/> before the first one.</summary>
    public ModelRequest? LastRequest
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = Record(messages, options);
        return base.GetResponseAsync(list, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = Record(messages, options);
        return base.GetStreamingResponseAsync(list, options, cancellationToken);
    }

    private List<ChatMessage> Record(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        List<ChatMessage> list = [.. messages];
        lock (_gate)
        {
            _last = new ModelRequest(list, options?.Clone());
        }

        return list;
    }
}
