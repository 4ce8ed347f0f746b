using System.Diagnostics;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;
using Llama4.Core;
using Llama4.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Llama4.Benchmarks.Subjects;

/// <summary>
/// The next turn of a long conversation through <see cref="Llama4ChatClient"/>, as an application sends it: the whole
/// history plus a new question, streamed, with one output token. Each run is the next turn (turn 1, 2, ... on every
/// contender alike); <see cref="RunTurnAsync"/> runs a given turn outside the rounds. Time to first token is measured by
/// the caller: from the call to the first streamed update, which with one output token arrives right after that token
/// is sampled (with or without text). It includes mapping, formatting and tokenizing the whole history, queueing,
/// prompt processing (or finding the prefix in the cache) and the first sample.
/// </summary>
internal sealed class Llama4ConversationSubject : IBenchmarkSubject, IDisposable
{
    private readonly Llama4ChatClient _client;
    private readonly ContextConversation _conversation;
    private readonly BenchmarkSampling _sampling;
    private int _turn;

    public Llama4ConversationSubject(string name, Llama4Engine engine, ContextConversation conversation, BenchmarkSampling sampling)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Name = name;
        Engine = engine;
        _client = new Llama4ChatClient(engine);
        _conversation = conversation;
        _sampling = sampling;
    }

    public string Name { get; }

    public Llama4Engine Engine { get; }

    public async Task<RunResult> RunAsync(int concurrency, CancellationToken cancellationToken)
    {
        if (concurrency != 1)
        {
            throw new NotSupportedException("A conversation's next turn is one request at a time.");
        }

        var request = await RunTurnAsync(++_turn, cancellationToken);
        return new RunResult([request], request.Completed);
    }

    /// <summary>Sends turn <paramref name="turn"/> of the conversation and times it.</summary>
    public async Task<RequestResult> RunTurnAsync(int turn, CancellationToken cancellationToken)
    {
        var messages = _conversation.MessagesFor(turn);
        var options = _sampling.ToLlama4ChatOptions(maxOutputTokens: 1, BenchmarkWorkload.SeedFor(0));
        var start = Stopwatch.GetTimestamp();
        TimeSpan? firstUpdate = null;
        UsageDetails? usage = null;
        ChatFinishReason? finishReason = null;
        await foreach (var update in _client.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            firstUpdate ??= Stopwatch.GetElapsedTime(start);
            finishReason = update.FinishReason ?? finishReason;
            foreach (var content in update.Contents)
            {
                if (content is UsageContent final)
                {
                    usage = final.Details;
                }
            }
        }

        var completed = Stopwatch.GetElapsedTime(start);
        if (firstUpdate is not { } ttft || usage?.InputTokenCount is not { } input || usage.OutputTokenCount is not { } output)
        {
            throw new InvalidOperationException("Llama4ChatClient's stream ended without updates or without a UsageContent carrying the token counts.");
        }

        return new RequestResult(checked((int)output), ttft, completed, TimeSpan.Zero)
        {
            TimeToFirstToken = ttft,
            PromptTokens = checked((int)input),
            CachedPromptTokens = usage.CachedInputTokenCount is { } cached ? checked((int)cached) : 0,
            PromptTime = usage.AdditionalCounts?.TryGetValue(Llama4UsageCounts.PromptMilliseconds, out var promptMs) is true ? TimeSpan.FromMilliseconds(promptMs) : null,
            FinishReason = finishReason?.Value,
        };
    }

    public void Dispose() => _client.Dispose();
}
