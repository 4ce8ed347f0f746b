namespace Llama4.Benchmarks.Measurement;

/// <summary>One timed operation: the distribution of its measured iterations and what each allocated.</summary>
/// <param name="Name">The operation, as the report names it.</param>
/// <param name="Microseconds">Median, min and max over the measured iterations.</param>
/// <param name="P90Microseconds">The 90th percentile.</param>
/// <param name="AllocatedBytesPerOperation">Managed bytes the measuring thread allocated per iteration.</param>
internal sealed record MicroResult(string Name, Summary Microseconds, double P90Microseconds, double AllocatedBytesPerOperation);
