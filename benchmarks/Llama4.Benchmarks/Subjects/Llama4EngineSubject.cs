using System.Diagnostics;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;
using Llama4.Core;

namespace Llama4.Benchmarks.Subjects;

/// <summary>
/// <see cref="Llama4Engine.GenerateAsync"/> without the <c>IChatClient</c> layer, to split the client's cost from the
/// engine's. Formats the same messages on every call, as the client does; usage timings are exact here.
/// </summary>
internal sealed class Llama4EngineSubject(string name, Llama4Engine engine, BenchmarkWorkload workload) : IBenchmarkSubject
{
    public string Name { get; } = name;

    public Task<RunResult> RunAsync(int concurrency, CancellationToken cancellationToken) =>
        Burst.RunAsync(concurrency, GenerateOneAsync, engine, cancellationToken);

    private async Task<RequestResult> GenerateOneAsync(int index, long start, CancellationToken cancellationToken)
    {
        var timer = new RequestTimer(start);
        var request = new Llama4GenerationRequest(Llama4PromptFormatter.Format(BenchmarkWorkload.Llama4Messages))
        {
            Sampling = workload.Sampling.ToLlama4(BenchmarkWorkload.SeedFor(index)),
            MaxOutputTokens = workload.MaxOutputTokens,
        };
        Llama4GenerationUsage? usage = null;
        await foreach (var update in engine.GenerateAsync(request, cancellationToken))
        {
            if (update.Text.Length > 0)
            {
                timer.Text();
            }

            usage = update.Usage ?? usage;
        }

        return usage is null
            ? throw new InvalidOperationException("The engine's stream ended without usage.")
            : timer.Finish(usage.OutputTokens, usage.GenerationTime);
    }
}
