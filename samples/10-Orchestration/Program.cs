// 10 Orchestration: an Agent Framework workflow of several agents on ONE Llama 4 engine.
// A triage agent hands each ticket to a specialist (a handoff workflow); a reviewer and an editor then go over the
// specialist's draft (a sequential workflow). Several tickets run at the same time, so the engine decodes several
// agents' sequences together in one batch. Every agent's instructions start with the same company preamble: it is
// decoded once, and every later agent call starts from a copy of its KV cells instead of decoding it again (prefix
// reuse); an agent's own instructions and tools are reused across tickets the same way. The tables show each agent's
// calls, tokens and cache hits.
// With --compare it measures the same workflow against an engine without reuse (every call decodes its whole prompt).
//
//   dotnet run --project samples/10-Orchestration -c Release                        (demo model: random weights)
//   dotnet run --project samples/10-Orchestration -c Release -- --compare --runs 5
//   dotnet run --project samples/10-Orchestration -c Release -- --model scout.gguf --tickets 4
using System.Globalization;
using Llama4.Samples;
using Spectre.Console;

var arguments = SampleArguments.Parse(args, "10-Orchestration", valueOptions: ["--tickets", "--runs"], flags: ["--compare", "--unified-kv"], defaultContextSize: 65536);
if (arguments is null)
{
    return 2;
}

int tickets, runs;
try
{
    tickets = arguments.GetNumber("--tickets", Orchestration.Tickets.Length - 1);
    runs = arguments.GetNumber("--runs", 3);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var engineOptions = SampleModel.CreateEngineOptions(arguments);
// Room for the running tickets plus the idle sequences that hold the agents' shared prefixes. One KV stream per sequence
// (ContextSize / 16 cells each): a decode then attends only over its own sequence's cells, not over every idle
// sequence's too, and a fork copies the stream it starts from. --unified-kv shows the other choice.
engineOptions.MaxParallelSequences = 16;
engineOptions.UnifiedKvCache = arguments.HasFlag("--unified-kv");

// One run with the shared engine, shown in full.
SampleConsole.Step($"{tickets} tickets at once: triage -> specialist (handoff), then reviewer -> editor (sequential)");
var shown = await RunOnceAsync(reuse: true);
Report.Tickets(shown);
Report.Agents(shown);
if (!arguments.HasFlag("--compare"))
{
    return 0;
}

// The same workflow on an engine that reuses nothing, alternating with the shared engine; a fresh engine per run, so
// every run starts with an empty cache.
SampleConsole.Step($"Comparison: {runs} run(s) per mode, alternating");
List<RunResult> results = [];
for (var i = 0; i < runs; i++)
{
    foreach (var reuse in new[] { true, false })
    {
        var result = await RunOnceAsync(reuse);
        results.Add(result);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]run {i + 1}, {(reuse ? "reuse" : "no reuse")}: {result.Elapsed.TotalSeconds:0.00} s ({result.ProcessorTime.TotalSeconds:0.00} s CPU), {result.PromptTokensDecoded:N0} prompt tokens decoded[/]");
    }
}

Report.Comparison(results);
return 0;

async Task<RunResult> RunOnceAsync(bool reuse)
{
    engineOptions.ReuseKvCache = reuse;
    await using var engine = await Llama4.Core.Llama4Engine.LoadAsync(engineOptions);
    return await Orchestration.RunAsync(engine, tickets, arguments.MaxOutputTokens);
}
