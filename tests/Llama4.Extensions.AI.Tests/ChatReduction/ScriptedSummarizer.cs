using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests.ChatReduction;

/// <summary>A chat client that writes predictable "summaries" and records what it was asked (pure reducer logic).</summary>
internal sealed class ScriptedSummarizer(Func<int, string>? reply = null) : IChatClient
{
    private int _calls;

    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = [];

    public int Calls => Volatile.Read(ref _calls);

    public Exception? Failure { get; set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls);
        lock (Requests)
        {
            Requests.Add(([.. messages], options));
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, (reply ?? (n => $"Summary number {n}: the user asked questions and got answers."))(call))));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The reducer asks for whole responses.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
