using System.Diagnostics;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;
using Llama4.Core;
using Llama4.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Llama4.Benchmarks.Subjects;

/// <summary>
/// <see cref="Llama4ChatClient"/> streaming: every request of a burst is a separate caller on the thread pool, all on
/// ONE client over ONE engine. Output tokens and the decode time (first to last sampled token, whole milliseconds)
/// come from the final <see cref="UsageContent"/>: the client's updates carry text, not tokens, and random-weight
/// models emit many tokens that complete no UTF-8 character.
/// </summary>
internal sealed class Llama4ClientSubject(string name, Llama4Engine engine, BenchmarkWorkload workload) : IBenchmarkSubject, IDisposable
{
    private readonly Llama4ChatClient _client = new(engine);

    public string Name { get; } = name;

    public Task<RunResult> RunAsync(int concurrency, CancellationToken cancellationToken) =>
        Burst.RunAsync(concurrency, StreamOneAsync, engine, cancellationToken);

    public void Dispose() => _client.Dispose();

    private async Task<RequestResult> StreamOneAsync(int index, long start, CancellationToken cancellationToken)
    {
        var timer = new RequestTimer(start);
        var options = workload.Sampling.ToLlama4ChatOptions(workload.MaxOutputTokens, BenchmarkWorkload.SeedFor(index));
        UsageDetails? usage = null;
        await foreach (var update in _client.GetStreamingResponseAsync(BenchmarkWorkload.Messages, options, cancellationToken))
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 }:
                        timer.Text();
                        break;
                    case UsageContent final:
                        usage = final.Details;
                        break;
                }
            }
        }

        if (usage?.OutputTokenCount is not { } outputTokens
            || usage.AdditionalCounts?.TryGetValue(Llama4UsageCounts.GenerationMilliseconds, out var generationMs) is not true)
        {
            throw new InvalidOperationException("Llama4ChatClient's stream ended without a UsageContent carrying the output token count and generation time.");
        }

        return timer.Finish(checked((int)outputTokens), TimeSpan.FromMilliseconds(generationMs));
    }
}
