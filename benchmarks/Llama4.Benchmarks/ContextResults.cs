using Llama4.Benchmarks.Measurement;
using Llama4.Benchmarks.Workload;

namespace Llama4.Benchmarks;

/// <summary>Everything the context suite measured.</summary>
internal sealed record ContextResults(
    ContextProfile Profile,
    long ModelBytes,
    int Threads,
    int EngineSequences,
    int ChunkSize,
    int VocabularySize,
    BenchmarkSampling Sampling,
    PrefillMeasurement Prefill,
    IReadOnlyList<HistoryMeasurement> Histories,
    DateTimeOffset Date,
    TimeSpan Elapsed,
    double? OtherProcessesCores);
