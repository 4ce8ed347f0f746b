using Llama4.Benchmarks.Measurement;

namespace Llama4.Benchmarks;

/// <summary>Everything the load suite measured.</summary>
internal sealed record LoadResults(
    int Capacity,
    int MaxOutputTokens,
    int Threads,
    TimeSpan ArrivalWindow,
    double CapacityRequestsPerSecond,
    double CalibrationOutputTokens,
    IReadOnlyList<LoadRun> Runs,
    DateTimeOffset Date,
    TimeSpan Elapsed,
    double? OtherProcessesCores);
