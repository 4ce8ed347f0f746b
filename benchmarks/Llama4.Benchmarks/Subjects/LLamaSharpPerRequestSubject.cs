using System.Diagnostics;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;
using LLama;
using LLama.Common;

namespace Llama4.Benchmarks.Subjects;

/// <summary>
/// The workaround LLamaSharp users have for concurrency today: every request builds its own
/// <see cref="StatelessExecutor"/> (its own context and KV cache over the shared weights) and its own
/// <c>AsChatClient()</c>, and the burst runs with <see cref="Task.WhenAll(Task[])"/>. llama.cpp decodes of all contexts
/// are serialised by LLamaSharp's global inference lock, so each step decodes one token of one request.
/// </summary>
internal sealed class LLamaSharpPerRequestSubject(string name, LLamaWeights weights, ModelParams contextParams, BenchmarkWorkload workload) : IBenchmarkSubject
{
    public string Name { get; } = name;

    public Task<RunResult> RunAsync(int concurrency, CancellationToken cancellationToken) =>
        Burst.RunAsync(concurrency, RunOneAsync, null, cancellationToken);

    private async Task<RequestResult> RunOneAsync(int index, long start, CancellationToken cancellationToken)
    {
        // The executor's constructor creates and frees a context; each call creates another for the request.
        var timer = new RequestTimer(start);
        var executor = new StatelessExecutor(weights, contextParams);
        using var client = LLamaSharpChatClients.Create(executor, out var counter);
        counter.Timer = timer;
        var options = workload.Sampling.ToLLamaSharpChatOptions(workload.MaxOutputTokens, BenchmarkWorkload.SeedFor(index));
        await foreach (var update in client.GetStreamingResponseAsync(BenchmarkWorkload.Messages, options, cancellationToken))
        {
            _ = update;
        }

        return timer.Finish();
    }
}
