using Llama4.Benchmarks.Subjects;

namespace Llama4.Benchmarks.Measurement;

/// <summary>A contender at one concurrency level; the unit the scheduler repeats.</summary>
internal sealed record BenchmarkCase(IBenchmarkSubject Subject, int Concurrency)
{
    public string Label => $"{Subject.Name} x{Concurrency}";
}
