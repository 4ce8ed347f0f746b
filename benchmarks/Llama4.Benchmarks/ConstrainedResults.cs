using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;

namespace Llama4.Benchmarks;

/// <summary>Everything the constrained-generation suite measured for one model.</summary>
internal sealed record ConstrainedResults(
    ModelProfile Profile,
    long ModelBytes,
    int Threads,
    int ContextSize,
    int VocabularySize,
    int ControlTokens,
    int PromptTokens,
    int ToolPromptTokens,
    BenchmarkSampling Sampling,
    IReadOnlyList<CaseMeasurement> SingleStream,
    IReadOnlyList<CaseMeasurement> Concurrency,
    int ConcurrencyLevel,
    IReadOnlyList<SamplingProbeResult> Probe,
    int ProbeRounds,
    IReadOnlyList<BatchSamplingResult> BatchSampling,
    IReadOnlyList<(string Grammar, GrammarSize Size, MicroResult NativeParse)> Grammars,
    DateTimeOffset Date,
    TimeSpan Elapsed,
    double? OtherProcessesCores)
{
    public CaseMeasurement? Single(string subject) => SingleStream.FirstOrDefault(m => m.Case.Subject.Name == subject);

    public CaseMeasurement? Concurrent(string subject) => Concurrency.FirstOrDefault(m => m.Case.Subject.Name == subject);

    public SamplingProbeResult? ProbeOf(string variant) => Probe.FirstOrDefault(p => p.Variant.Name == variant);

    public BatchSamplingResult? BatchOf(string variant) => BatchSampling.FirstOrDefault(b => b.Variant.Name == variant);
}
