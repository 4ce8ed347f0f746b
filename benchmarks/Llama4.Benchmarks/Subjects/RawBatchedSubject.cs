using System.Diagnostics;
using System.Text;
using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;
using Llama4.Core;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;

namespace Llama4.Benchmarks.Subjects;

/// <summary>
/// The floor for any wrapper: a hand-written LLamaSharp loop over one <see cref="BatchedExecutor"/> (created once, like
/// the engine's), one <see cref="Conversation"/> and one <see cref="LLama.Sampling.DefaultSamplingPipeline"/> per
/// request, all sequences decoded together. It does what an application needs at the least: tokenize the rendered
/// prompt (one call, special tokens parsed, as <c>Conversation.Prompt(string)</c> does), sample, stop on
/// end-of-generation or the token limit, detokenize to text. No channels, no cancellation, no admission control, no
/// callers on other threads.
/// </summary>
internal sealed class RawBatchedSubject : IBenchmarkSubject, IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly BenchmarkWorkload _workload;
    private readonly BatchedExecutor _executor;
    private readonly EndOfGeneration _endOfGeneration;
    private readonly Llama4Grammar? _grammar;

    /// <param name="name">The contender's name in the report.</param>
    /// <param name="weights">The shared weights.</param>
    /// <param name="contextParams">The context's settings (the engine's, see <see cref="ContextSettings.LikeEngine"/>).</param>
    /// <param name="workload">The prompt, sampling and output limit.</param>
    /// <param name="grammar">A grammar every reply must follow, given to LLamaSharp's pipeline as the engine did before its own sampler; null for free text.</param>
    public RawBatchedSubject(string name, LLamaWeights weights, ModelParams contextParams, BenchmarkWorkload workload, Llama4Grammar? grammar = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Name = name;
        _weights = weights;
        _workload = workload;
        _executor = new BatchedExecutor(weights, contextParams);
        if (!Tokenize().AsSpan().SequenceEqual(workload.PromptTokens))
        {
            throw new InvalidOperationException("Tokenizing the rendered prompt in one call does not give the engine's prompt tokens; the comparison would be unfair.");
        }

        _endOfGeneration = new EndOfGeneration(weights);
        _grammar = grammar;
    }

    public string Name { get; }

    public async Task<RunResult> RunAsync(int concurrency, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var sequences = new List<RawSequence>(concurrency);
        try
        {
            for (var i = 0; i < concurrency; i++)
            {
                var conversation = _executor.Create();
                var sequence = new RawSequence(
                    conversation,
                    _workload.Sampling.CreatePipeline(BenchmarkWorkload.SeedFor(i), _grammar),
                    new StreamingTokenDecoder(Encoding.UTF8, _weights),
                    new RequestTimer(start));
                sequences.Add(sequence);
                conversation.Prompt(Tokenize().AsSpan());
            }

            var live = concurrency;
            while (live > 0)
            {
                if (_executor.BatchedTokenCount > 0)
                {
                    var result = await _executor.Infer(cancellationToken);
                    if (result != DecodeResult.Ok)
                    {
                        throw new InvalidOperationException($"The raw loop's decode failed: {result}.");
                    }
                }

                foreach (var sequence in sequences)
                {
                    if (sequence.Result is null && sequence.Conversation.RequiresSampling)
                    {
                        live -= SampleNext(sequence) ? 1 : 0;
                    }
                }
            }

            return new RunResult([.. sequences.Select(s => s.Result!)], Stopwatch.GetElapsedTime(start));
        }
        finally
        {
            foreach (var sequence in sequences)
            {
                sequence.Dispose();
            }
        }
    }

    public void Dispose() => _executor.Dispose();

    private LLamaToken[] Tokenize() => _weights.Tokenize(_workload.PromptText, false, true, Encoding.UTF8);

    /// <summary>Samples one token; returns true when the sequence finished.</summary>
    private bool SampleNext(RawSequence sequence)
    {
        var token = sequence.Conversation.Sample(sequence.Pipeline);
        var end = _endOfGeneration.IsEnd(token);
        var text = string.Empty;
        if (!end)
        {
            sequence.Decoder.Add(token);
            text = sequence.Decoder.Read();
        }

        sequence.Timer.Token(text.Length > 0);
        if (end || sequence.Timer.Tokens >= _workload.MaxOutputTokens)
        {
            sequence.Result = sequence.Timer.Finish();
            return true;
        }

        sequence.Conversation.Prompt(token);
        return false;
    }
}
