using System.Diagnostics;
using LLama.Native;
using LLama.Sampling;

namespace Llama4.Benchmarks.Measurement;

/// <summary>
/// LLamaSharp's <see cref="DefaultSamplingPipeline"/>, unchanged, with a stopwatch around every <see cref="Sample"/> and
/// a count of the candidate passes it makes. With a grammar, <c>Sample</c> first runs the chain without the grammar over
/// the whole vocabulary and checks only the token it picked against the grammar; when the grammar rejects it (and, in
/// Extended mode with top-k on, none of the top-k is allowed either), it copies the logits again, applies the grammar to
/// every token of the vocabulary and runs the chain a second time. Each chain pass goes through <see cref="Apply"/>, so
/// two passes in one <c>Sample</c> mark such a full-vocabulary fallback; with <c>GrammarOptimization = None</c> every
/// sample is one.
/// </summary>
internal sealed class InstrumentedSamplingPipeline : DefaultSamplingPipeline
{
    private readonly List<double> _sampleMicroseconds = [];
    private readonly List<bool> _fellBack = [];
    private int _chainPasses;

    /// <summary>Gets the duration of each <see cref="Sample"/> call, in order.</summary>
    public IReadOnlyList<double> SampleMicroseconds => _sampleMicroseconds;

    /// <summary>Gets, for each <see cref="Sample"/> call in order, whether it fell back to the whole vocabulary.</summary>
    public IReadOnlyList<bool> FellBack => _fellBack;

    /// <summary>Gets how many samples fell back to applying the grammar to the whole vocabulary.</summary>
    public int Fallbacks { get; private set; }

    public override LLamaToken Sample(SafeLLamaContextHandle ctx, int index)
    {
        var passes = _chainPasses;
        var start = Stopwatch.GetTimestamp();
        var token = base.Sample(ctx, index);
        _sampleMicroseconds.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        var fellBack = Grammar is not null && (GrammarOptimization == GrammarOptimizationMode.None || _chainPasses - passes >= 2);
        _fellBack.Add(fellBack);
        Fallbacks += fellBack ? 1 : 0;

        return token;
    }

    public override void Apply(SafeLLamaContextHandle ctx, ref LLamaTokenDataArrayNative data)
    {
        _chainPasses++;
        base.Apply(ctx, ref data);
    }
}
