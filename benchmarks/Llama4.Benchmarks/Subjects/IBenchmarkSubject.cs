using Llama4.Benchmarks.Measurement;

namespace Llama4.Benchmarks.Subjects;

/// <summary>A contender: serves a burst of concurrent requests of the workload and times it.</summary>
internal interface IBenchmarkSubject
{
    /// <summary>Gets the name used in the report.</summary>
    string Name { get; }

    /// <summary>Runs <paramref name="concurrency"/> requests started together; request i uses seed <c>BaseSeed + i</c>.</summary>
    Task<RunResult> RunAsync(int concurrency, CancellationToken cancellationToken);
}
