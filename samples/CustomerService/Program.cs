// CustomerService: a customer-service agent for an online shop, running Llama 4 in this process.
// An Agent Framework ChatClientAgent over the whole Llama 4 pipeline (resilience, tool calling with human approval,
// moderation with PII redaction and a topical rail, token-aware memory), Semantic Kernel plugins over a SQLite database
// the sample creates, FAQ retrieval with the engine's embeddings, and a conversation that survives restarts.
// Without --model it generates the tiny demo model, whose weights are RANDOM: everything runs, the text is gibberish.
//
//   dotnet run --project samples/CustomerService -c Release                                   (interactive)
//   dotnet run --project samples/CustomerService -c Release -- --script samples/CustomerService/demo.script --new
//   dotnet run --project samples/CustomerService -c Release -- --model scout.gguf
using Llama4.Samples;
using CustomerService;
using Spectre.Console;

// An exception no code path expected, on any thread, ends the program with one line and exit code 70, never with the
// runtime's abort (134) and a stack trace.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Console.Error.WriteLine($"{CustomerServiceApp.Name}: {SampleExitCodes.Unexpected((Exception)e.ExceptionObject)}");
    Environment.Exit(SampleExitCodes.UnexpectedError);
};

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    return await CustomerServiceApp.MainAsync(args, AnsiConsole.Console, Console.Error, cancellation.Token);
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    return SampleExitCodes.Cancelled;
}
catch (Exception e)
{
    Console.Error.WriteLine($"{CustomerServiceApp.Name}: {SampleExitCodes.Unexpected(e)}");
    return SampleExitCodes.UnexpectedError;
}
