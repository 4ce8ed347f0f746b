using System.Diagnostics;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;
using LLama;
using LLama.Common;
using Microsoft.Extensions.AI;

namespace Llama4.Benchmarks.Subjects;

/// <summary>
/// LLamaSharp's <c>StatelessExecutor.AsChatClient()</c>, one instance reused for every run, ONE request at a time:
/// concurrent calls on one instance abort the process natively, so this subject refuses any concurrency above 1 and
/// guards against overlapping runs. Each call creates (and frees) a fresh llama.cpp context, as StatelessExecutor does.
/// </summary>
internal sealed class LLamaSharpSharedClientSubject : IBenchmarkSubject, IDisposable
{
    private readonly BenchmarkWorkload _workload;
    private readonly IChatClient _client;
    private readonly TokenCountingTransform _counter;
    private int _busy;

    public LLamaSharpSharedClientSubject(string name, LLamaWeights weights, ModelParams contextParams, BenchmarkWorkload workload)
    {
        Name = name;
        _workload = workload;
        _client = LLamaSharpChatClients.Create(new StatelessExecutor(weights, contextParams), out _counter);
    }

    public string Name { get; }

    public async Task<RunResult> RunAsync(int concurrency, CancellationToken cancellationToken)
    {
        if (concurrency != 1)
        {
            throw new NotSupportedException("LLamaSharp's AsChatClient() aborts the process when one instance serves concurrent calls; use LLamaSharpPerRequestSubject.");
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("A run is already in flight on the shared AsChatClient() instance.");
        }

        try
        {
            var start = Stopwatch.GetTimestamp();
            var timer = new RequestTimer(start);
            _counter.Timer = timer;
            var options = _workload.Sampling.ToLLamaSharpChatOptions(_workload.MaxOutputTokens, BenchmarkWorkload.SeedFor(0));
            await foreach (var update in _client.GetStreamingResponseAsync(BenchmarkWorkload.Messages, options, cancellationToken))
            {
                _ = update;
            }

            var request = timer.Finish();
            return new RunResult([request], request.Completed);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public void Dispose() => _client.Dispose();
}
