using System.Diagnostics;
using System.Text;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;
using LLama;
using LLama.Common;
using Microsoft.Extensions.AI;

namespace Llama4.Benchmarks.Subjects;

/// <summary>
/// The next turn of a long conversation through LLamaSharp's own <c>StatelessExecutor.AsChatClient()</c>, one instance,
/// one request at a time (concurrent calls on one instance abort the process natively): every call creates a llama.cpp
/// context, decodes the whole history in its <c>System:/User:/Assistant:</c> text format and frees the context. Turns
/// advance as in <see cref="Llama4ConversationSubject"/>. Time to first token is the first piece the executor yields
/// (seen before the anti-prompt filter), from the call.
/// </summary>
internal sealed class LLamaSharpConversationSubject : IBenchmarkSubject, IDisposable
{
    private readonly IChatClient _client;
    private readonly TokenCountingTransform _counter;
    private readonly ContextConversation _conversation;
    private readonly BenchmarkSampling _sampling;
    private readonly Func<int, int> _promptTokens;
    private int _turn;

    private LLamaSharpConversationSubject(string name, IChatClient client, TokenCountingTransform counter, ContextConversation conversation, BenchmarkSampling sampling, Func<int, int> promptTokens)
    {
        Name = name;
        _client = client;
        _counter = counter;
        _conversation = conversation;
        _sampling = sampling;
        _promptTokens = promptTokens;
    }

    public string Name { get; }

    /// <summary>Gets the context size every call allocates: the longest turn's prompt plus its output, rounded up to 256 cells.</summary>
    public int ContextSize { get; private init; }

    /// <summary>
    /// Creates the subject with a context just large enough for the conversation's longest turn, as a user of
    /// <c>StatelessExecutor</c> would size it, and one sequence; every other context setting comes from <paramref name="contextParams"/>.
    /// </summary>
    public static LLamaSharpConversationSubject Create(string name, LLamaWeights weights, ModelParams contextParams, ContextConversation conversation, int turns, BenchmarkSampling sampling)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(contextParams);
        ArgumentNullException.ThrowIfNull(conversation);
        int PromptTokens(int turn) => CountPromptTokens(weights, conversation.MessagesFor(turn));
        var longest = Enumerable.Range(0, turns).Max(PromptTokens);
        var contextSize = (longest + 1 + 255) / 256 * 256;
        contextParams.ContextSize = checked((uint)contextSize);
        contextParams.SeqMax = 1;
        var client = LLamaSharpChatClients.Create(new StatelessExecutor(weights, contextParams), out var counter);
        return new LLamaSharpConversationSubject(name, client, counter, conversation, sampling, PromptTokens) { ContextSize = contextSize };
    }

    public async Task<RunResult> RunAsync(int concurrency, CancellationToken cancellationToken)
    {
        if (concurrency != 1)
        {
            throw new NotSupportedException("LLamaSharp's AsChatClient() aborts the process when one instance serves concurrent calls.");
        }

        var turn = ++_turn;
        var messages = _conversation.MessagesFor(turn);
        var options = _sampling.ToLLamaSharpChatOptions(maxOutputTokens: 1, BenchmarkWorkload.SeedFor(0));
        var start = Stopwatch.GetTimestamp();
        var timer = new RequestTimer(start);
        _counter.Timer = timer;
        await foreach (var update in _client.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            _ = update;
        }

        _counter.Timer = null;
        var result = timer.Finish();

        // The executor yields no piece for an end-of-generation token; with one output token the stream then ends right
        // after that sample (and the context's release), so the end of the stream stands in for the first token.
        var request = result with
        {
            TimeToFirstToken = result.TimeToFirstToken ?? result.Completed,
            PromptTokens = _promptTokens(turn),
            CachedPromptTokens = 0,
        };
        return new RunResult([request], request.Completed);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The prompt <c>AsChatClient()</c> decodes for <paramref name="messages"/>: its default history transform's text, then "Assistant: ", BOS added, special tokens parsed.</summary>
    private static int CountPromptTokens(LLamaWeights weights, IReadOnlyList<ChatMessage> messages)
    {
        var history = new ChatHistory();
        foreach (var message in messages)
        {
            var role = message.Role == ChatRole.System ? AuthorRole.System : message.Role == ChatRole.Assistant ? AuthorRole.Assistant : AuthorRole.User;
            history.AddMessage(role, message.Text);
        }

        var text = new LLamaTransforms.DefaultHistoryTransform().HistoryToText(history) + "Assistant: ";
        return weights.Tokenize(text, true, true, Encoding.UTF8).Length;
    }
}
