// Measures Llama4ChatClient in one process against a raw LLamaSharp BatchedExecutor loop and LLamaSharp's own
// AsChatClient(): single-stream decode speed and time to first token, aggregate throughput at 1, 4 and 16 concurrent
// requests, and the engine's batching counters (suite "throughput"); constrained against free generation, JSON-schema
// structured output and required tool calls, with a probe of where the time per token goes (suite "constrained"); and
// the JSON Schema to GBNF converter, validator and tool-call grammars (suite "converter"); and long conversations in a
// 128k context: time to first token of the next turn with KV-cache reuse against full re-processing, and a prefill past
// 120k tokens with the process's memory (suite "context", tiny model only; it runs first, so that its memory reading
// before the engine loads sees a process without any engine); and latency percentiles and throughput under an open-loop
// load at 1x, 2x and 4x capacity with and without admission control (suite "load"); and sampling at Llama 4's real
// 202,048-token vocabulary against LLamaSharp's own sampling pipeline (suite "sampling", real-vocabulary model). Writes docs/performance.md, replacing only the sections of
// the suites that ran (see BenchmarkOptions.Usage).
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

var contextResults = options.Runs(BenchmarkSuites.Context)
    ? await ContextBenchmark.RunAsync(options, loggerFactory, Console.Out, cancellation.Token)
    : null;

var throughput = new List<ModelResults>();
var constrained = new List<ConstrainedResults>();
foreach (var model in options.Models)
{
    var profile = ModelProfile.For(model, options);
    if (options.Runs(BenchmarkSuites.Throughput))
    {
        throughput.Add(await ModelBenchmark.RunAsync(profile, options, loggerFactory, Console.Out, cancellation.Token));
    }

    if (options.Runs(BenchmarkSuites.Constrained))
    {
        constrained.Add(await ConstrainedBenchmark.RunAsync(profile, options, loggerFactory, Console.Out, cancellation.Token));
    }
}

var converter = options.Runs(BenchmarkSuites.Converter) ? ConverterBenchmark.Run(options, Console.Out) : null;
var loadResults = options.Runs(BenchmarkSuites.Load)
    ? await LoadBenchmark.RunAsync(options, loggerFactory, Console.Out, cancellation.Token)
    : null;

var samplingResults = options.Runs(BenchmarkSuites.Sampling)
    ? await SamplingBenchmark.RunAsync(options, loggerFactory, Console.Out, cancellation.Token)
    : null;

var commandLine = "dotnet run -c Release --project benchmarks/Llama4.Benchmarks --" + string.Concat(args.Select(a => " " + a));
var context = new ReportContext(MachineInfo.Collect(nativeLoaded: throughput.Count + constrained.Count > 0 || contextResults is not null || loadResults is not null || samplingResults is not null), options, commandLine);
var sections = new Dictionary<string, string>(StringComparer.Ordinal);
if (constrained.Count > 0)
{
    sections[ReportDocument.Constrained] = ConstrainedReport.Render(context, constrained);
}

if (converter is not null)
{
    sections[ReportDocument.Converter] = ConverterReport.Render(context, converter);
}

if (contextResults is not null)
{
    sections[ReportDocument.Context] = ContextReport.Render(context, contextResults);
}

if (loadResults is not null)
{
    sections[ReportDocument.Load] = LoadReport.Render(context, loadResults);
}

if (samplingResults is not null)
{
    sections[ReportDocument.Sampling] = SamplingReport.Render(context, samplingResults);
}

var output = options.OutputPath ?? (options.Quick ? null : Path.Combine(RepositoryRoot.Find(), "docs", "performance.md"));
var existing = output is not null && File.Exists(output) ? await File.ReadAllTextAsync(output, cancellation.Token) : null;
var report = ReportDocument.Compose(
    existing,
    throughput.Count > 0 ? MarkdownReport.Render(context.Machine, options, commandLine, throughput, constrained) : null,
    sections,
    MarkdownReport.RenderReproduce(),
    MarkdownReport.RenderHeader());
Console.WriteLine();
Console.WriteLine(report);

if (output is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, report, cancellation.Token);
    Console.WriteLine($"Report written to {Path.GetFullPath(output)}");
}

return 0;
