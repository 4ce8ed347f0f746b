// Measures Llama4ChatClient in one process against a raw LLamaSharp BatchedExecutor loop and LLamaSharp's own
// AsChatClient(): single-stream decode speed and time to first token, aggregate throughput at 1, 4 and 16 concurrent
// requests, and the engine's batching counters. Writes docs/performance.md (see BenchmarkOptions.Usage).
using Llama4.Benchmarks;
using Llama4.Benchmarks.Cli;
using Llama4.Benchmarks.Reporting;
using Llama4.Benchmarks.Workload;
using Microsoft.Extensions.Logging;

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

// llama.cpp's own log arrives through the engine's logger; only warnings and errors are worth a benchmark's console.
using var loggerFactory = LoggerFactory.Create(builder => builder
    .AddSimpleConsole(console => console.SingleLine = true)
    .SetMinimumLevel(LogLevel.Warning));

var results = new List<ModelResults>();
foreach (var model in options.Models)
{
    results.Add(await ModelBenchmark.RunAsync(ModelProfile.For(model, options), options, loggerFactory, Console.Out, cancellation.Token));
}

var commandLine = "dotnet run -c Release --project benchmarks/Llama4.Benchmarks --" + string.Concat(args.Select(a => " " + a));
var report = MarkdownReport.Render(MachineInfo.Collect(), options, commandLine, results);
Console.WriteLine();
Console.WriteLine(report);

var output = options.OutputPath ?? (options.Quick ? null : Path.Combine(RepositoryRoot.Find(), "docs", "performance.md"));
if (output is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, report, cancellation.Token);
    Console.WriteLine($"Report written to {Path.GetFullPath(output)}");
}

return 0;
