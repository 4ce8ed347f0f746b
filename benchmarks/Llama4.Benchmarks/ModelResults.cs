using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;
using Llama4.Core;

namespace Llama4.Benchmarks;

/// <summary>Everything measured for one model, plus the settings needed to read it.</summary>
internal sealed record ModelResults(
    ModelProfile Profile,
    string ModelPath,
    long ModelBytes,
    int Threads,
    int ContextSize,
    int MaxParallelSequences,
    int SingleRequestContextSize,
    bool FlashAttention,
    int PromptTokens,
    int LLamaSharpPromptTokens,
    BenchmarkSampling Sampling,
    IReadOnlyList<CaseMeasurement> SingleStream,
    IReadOnlyList<CaseMeasurement> Concurrency,
    Llama4EngineStatistics EngineStatistics,
    Llama4EngineStatistics FlashAttentionEngineStatistics,
    TimeSpan Elapsed,
    double? OtherProcessesCores)
{
    public CaseMeasurement? Single(string subject) => SingleStream.FirstOrDefault(m => m.Case.Subject.Name == subject);

    public CaseMeasurement? Concurrent(string subject, int concurrency) =>
        Concurrency.FirstOrDefault(m => m.Case.Subject.Name == subject && m.Case.Concurrency == concurrency);
}
