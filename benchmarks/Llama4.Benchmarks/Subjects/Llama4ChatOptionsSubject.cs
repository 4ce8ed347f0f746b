using System.Diagnostics;
using Llama4.Benchmarks.Measurement;
using Llama4.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Llama4.Benchmarks.Subjects;

/// <summary>
/// <see cref="Llama4ChatClient"/> streaming with <see cref="ChatOptions"/> built per call (request i of a burst from
/// <c>optionsFor(i)</c>): structured output, tools. Output tokens and timings come from the final
/// <see cref="UsageContent"/>, whose times are whole milliseconds; time to first token = the synchronous part of
/// <c>GetStreamingResponseAsync</c> (mapping, formatting, tokenization, grammar building) plus the usage's.
/// </summary>
internal sealed class Llama4ChatOptionsSubject(string name, IChatClient client, IReadOnlyList<ChatMessage> messages, Func<int, ChatOptions> optionsFor) : IBenchmarkSubject
{
    public string Name { get; } = name;

    public Task<RunResult> RunAsync(int concurrency, CancellationToken cancellationToken) =>
        Burst.RunAsync(concurrency, StreamOneAsync, null, cancellationToken);

    private async Task<RequestResult> StreamOneAsync(int index, long start, CancellationToken cancellationToken)
    {
        var timer = new RequestTimer(start);
        var stream = client.GetStreamingResponseAsync(messages, optionsFor(index), cancellationToken);
        var submitted = Stopwatch.GetElapsedTime(start);
        UsageDetails? usage = null;
        ChatFinishReason? finishReason = null;
        await foreach (var update in stream)
        {
            finishReason = update.FinishReason ?? finishReason;
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 }:
                    case FunctionCallContent:
                        timer.Text();
                        break;
                    case UsageContent final:
                        usage = final.Details;
                        break;
                }
            }
        }

        if (usage?.OutputTokenCount is not { } outputTokens
            || usage.AdditionalCounts is not { } counts
            || !counts.TryGetValue(Llama4UsageCounts.GenerationMilliseconds, out var generationMs)
            || !counts.TryGetValue(Llama4UsageCounts.TimeToFirstTokenMilliseconds, out var firstTokenMs))
        {
            throw new InvalidOperationException("Llama4ChatClient's stream ended without a UsageContent carrying the output token count and timings.");
        }

        return timer.Finish(checked((int)outputTokens), TimeSpan.FromMilliseconds(generationMs)) with
        {
            TimeToFirstToken = submitted + TimeSpan.FromMilliseconds(firstTokenMs),
            PromptTokens = usage.InputTokenCount is { } input ? checked((int)input) : null,
            FinishReason = ToEngineName(finishReason),
        };
    }

    /// <summary>The engine's names for the finish reasons, so that both kinds of rows read alike.</summary>
    private static string? ToEngineName(ChatFinishReason? reason) =>
        reason is null ? null :
        reason == ChatFinishReason.Stop ? "Stop" :
        reason == ChatFinishReason.Length ? "Length" :
        reason == ChatFinishReason.ToolCalls ? "ToolCalls" :
        reason.Value.Value;
}
