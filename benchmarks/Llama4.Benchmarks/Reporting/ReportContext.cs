using Llama4.Benchmarks.Cli;

namespace Llama4.Benchmarks.Reporting;

/// <summary>What every section states about its own run: when, how, on what, and whether it was a smoke run.</summary>
internal sealed record ReportContext(MachineInfo Machine, BenchmarkOptions Options, string CommandLine);
