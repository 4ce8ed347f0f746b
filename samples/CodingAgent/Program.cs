// CodingAgent: an Agent Framework coding agent on Llama 4 running in this process, working inside one workspace folder.
// It lists, reads and searches files, writes or patches them and runs dotnet build / dotnet test only with your approval,
// refuses every path that leaves the workspace, blocks code-interpreter abuse in tool arguments, keeps the files it read
// in the long context (token-exact history reduction) and shows memory statistics per turn. Without --model it uses the
// generated tiny demo model, whose weights are RANDOM: script turns can force a tool call so the tools really run.
//
//   dotnet run --project samples/CodingAgent -c Release                                   (interactive, demo model)
//   dotnet run --project samples/CodingAgent -c Release -- --script samples/CodingAgent/demo.script
//   dotnet run --project samples/CodingAgent -c Release -- --model scout.gguf --workspace ~/src/myproject
using Llama4.Samples;
using CodingAgent;
using Microsoft.Extensions.Logging;
using Spectre.Console;

// An exception no code path expected, on any thread, ends the program with one line and exit code 70, never with the
// runtime's abort (134) and a stack trace.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Console.Error.WriteLine($"{CodingAgentApp.Name}: {SampleExitCodes.Unexpected((Exception)e.ExceptionObject)}");
    Environment.Exit(SampleExitCodes.UnexpectedError);
};

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
try
{
    return await CodingAgentApp.RunAsync(args, AnsiConsole.Console, Console.Error, loggerFactory, cancellation.Token);
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    return SampleExitCodes.Cancelled;
}
catch (Exception e)
{
    Console.Error.WriteLine($"{CodingAgentApp.Name}: {SampleExitCodes.Unexpected(e)}");
    return SampleExitCodes.UnexpectedError;
}
