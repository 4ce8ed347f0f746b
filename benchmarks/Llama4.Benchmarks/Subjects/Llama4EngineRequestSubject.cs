using System.Diagnostics;
using Llama4.Benchmarks.Measurement;
using Llama4.Core;

namespace Llama4.Benchmarks.Subjects;

/// <summary>
/// <see cref="Llama4Engine.GenerateAsync"/> with a request built per call (request i of a burst from
/// <c>requestFor(i)</c>). Times come from the engine's usage, which is exact: time to first token = the synchronous part
/// of <c>GenerateAsync</c> (tokenization, grammar building and validation) plus queueing and prompt processing; decode
/// time = first to last sampled token.
/// </summary>
internal sealed class Llama4EngineRequestSubject(string name, Llama4Engine engine, Func<int, Llama4GenerationRequest> requestFor) : IBenchmarkSubject
{
    public string Name { get; } = name;

    public Task<RunResult> RunAsync(int concurrency, CancellationToken cancellationToken) =>
        Burst.RunAsync(concurrency, GenerateOneAsync, engine, cancellationToken);

    private async Task<RequestResult> GenerateOneAsync(int index, long start, CancellationToken cancellationToken)
    {
        var timer = new RequestTimer(start);
        var request = requestFor(index);
        var stream = engine.GenerateAsync(request, cancellationToken);
        var submitted = Stopwatch.GetElapsedTime(start);
        Llama4GenerationUpdate? last = null;
        await foreach (var update in stream)
        {
            if (update.Text.Length > 0)
            {
                timer.Text();
            }

            last = update;
        }

        if (last?.Usage is not { } usage)
        {
            throw new InvalidOperationException("The engine's stream ended without usage.");
        }

        return timer.Finish(usage.OutputTokens, usage.GenerationTime) with
        {
            TimeToFirstToken = submitted + usage.TimeToFirstToken,
            PromptTokens = usage.PromptTokens,
            FinishReason = last.FinishReason?.ToString(),
        };
    }
}
