using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;

namespace Llama4.Benchmarks;

/// <summary>Everything the sampling suite measured on the real-vocabulary model.</summary>
internal sealed record SamplingResults(
    ModelProfile Profile,
    long ModelBytes,
    int VocabularySize,
    int Threads,
    int SamplingThreads,
    int? AllCoresSamplingThreads,
    int ContextSize,
    int PromptTokens,
    int ToolPromptTokens,
    BenchmarkSampling Sampling,
    IReadOnlyList<CaseMeasurement> SingleStream,
    IReadOnlyList<CaseMeasurement> Concurrency,
    IReadOnlyList<MicroResult> SamplersAlone,
    IReadOnlyList<ConstrainedDrawStats> ConstrainedDraws,
    DateTimeOffset Date,
    TimeSpan Elapsed,
    double? OtherProcessesCores)
{
    public CaseMeasurement? Single(string subject) => SingleStream.FirstOrDefault(m => m.Case.Subject.Name == subject);

    public CaseMeasurement? Concurrent(string subject, int level) =>
        Concurrency.FirstOrDefault(m => m.Case.Subject.Name == subject && m.Case.Concurrency == level);
}
