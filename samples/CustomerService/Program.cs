using System.Globalization;
// CustomerService: a customer-service agent for an online shop, running Llama 4 in this process.
// An Agent Framework ChatClientAgent over the whole Llama 4 pipeline (resilience, tool calling with human approval,
// moderation with PII redaction and a topical rail, token-aware memory), Semantic Kernel plugins over a SQLite database
// the sample creates, FAQ retrieval with the engine's embeddings, and a conversation that survives restarts.
// Without --model it generates the tiny demo model, whose weights are RANDOM: everything runs, the text is gibberish.
//
//   dotnet run --project samples/CustomerService -c Release                                   (interactive)
//   dotnet run --project samples/CustomerService -c Release -- --script samples/CustomerService/demo.script --new
//   dotnet run --project samples/CustomerService -c Release -- --model scout.gguf
using CustomerService;
using CustomerService.Conversation;
using Microsoft.Extensions.Logging;
using Spectre.Console;

CustomerServiceArguments arguments;
try
{
    arguments = CustomerServiceArguments.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (arguments.ScriptPath is null && Console.IsInputRedirected)
{
    Console.Error.WriteLine("Standard input is not a terminal, so the interactive console cannot read it: run in a terminal, or pass --script FILE.");
    return 2;
}

using var loggerFactory = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(o => o.SingleLine = true)
    .SetMinimumLevel(arguments.Verbose ? LogLevel.Debug : LogLevel.Warning)
    // Without --verbose: llama.cpp's load notes and the function invoker's stack traces stay out of the conversation
    // (a refused tool call is shown in its result panel).
    .AddFilter("Llama4.Core.LlamaCpp", arguments.Verbose ? LogLevel.Debug : LogLevel.Error)
    .AddFilter("Microsoft.Extensions.AI", arguments.Verbose ? LogLevel.Debug : LogLevel.Critical));
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    var run = await CustomerServiceApp.RunAsync(arguments, AnsiConsole.Console, loggerFactory, cancellation.Token);
    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{run.Turns} turns; the conversation holds {run.History.Count} messages.[/]");
    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    return 130;
}
catch (Exception e) when (e is ScriptFormatException or FileNotFoundException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
