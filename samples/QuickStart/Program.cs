// QuickStart: a console chat that streams replies from Llama 4 running in this process.
// It registers the engine and an IChatClient with dependency injection, exactly as an application would, then streams
// each reply token by token and prints the token usage. Without --model it generates the tiny demo model, whose
// weights are RANDOM: everything runs for real, but the text is gibberish.
//
//   dotnet run --project samples/QuickStart                          (demo model, one turn, then chat if interactive)
//   dotnet run --project samples/QuickStart -- --model scout.gguf --prompt "Why is the sky blue?"
using Llama4.Samples;
using Llama4.Core;
using Llama4.TinyModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// An unexpected exception, on any thread, ends the program with one line and exit code 70 instead of the runtime's
// abort (134) and a stack trace.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Console.Error.WriteLine($"QuickStart: {SampleExitCodes.Unexpected((Exception)e.ExceptionObject)}");
    Environment.Exit(SampleExitCodes.UnexpectedError);
};

var arguments = QuickStartArguments.Parse(args);
if (arguments is null)
{
    Console.Error.WriteLine(QuickStartArguments.Usage);
    return SampleExitCodes.BadArguments;
}

var modelPath = arguments.ModelPath;
if (modelPath is null)
{
    Console.WriteLine("No --model given: using the generated tiny Llama 4 demo model.");
    Console.WriteLine("Its weights are RANDOM, so replies are gibberish; the engine, prompt format, streaming and usage are real.");
    Console.WriteLine("Pass --model PATH to a Llama 4 Scout or Maverick GGUF for real answers.");
    modelPath = TinyModelCache.GetOrCreate(TinyModelOptions.Default);
}

var services = new ServiceCollection();
services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(arguments.Verbose ? LogLevel.Debug : LogLevel.Warning));
services.AddLlama4ChatClient(options =>
{
    options.ModelPath = modelPath;
    options.ContextSize = arguments.ContextSize;
    options.MaxParallelSequences = 1;
});

await using var provider = services.BuildServiceProvider();
Console.WriteLine($"Loading {modelPath} ...");
Llama4Engine engine;
try
{
    engine = provider.GetRequiredService<Llama4Engine>();
}
catch (Exception e) when (SampleExitCodes.ForModelLoad(e) is { } failure)
{
    // A missing file, a file that is not GGUF, or one the library refuses (Llama4ModelValidationException.Problem).
    Console.Error.WriteLine($"QuickStart: {failure.Message}");
    return failure.Code;
}

var client = provider.GetRequiredService<IChatClient>();
Console.WriteLine($"Loaded {engine.ModelId} on {engine.ActiveBackend}, context {engine.ContextSize} tokens.");

var history = new List<ChatMessage> { new(ChatRole.System, "You are a helpful assistant. Answer briefly.") };
var chatOptions = new ChatOptions { MaxOutputTokens = arguments.MaxOutputTokens };
var prompt = arguments.Prompt;
while (!string.IsNullOrWhiteSpace(prompt))
{
    history.Add(new ChatMessage(ChatRole.User, prompt));
    Console.WriteLine();
    Console.WriteLine($"> {prompt}");
    var updates = new List<ChatResponseUpdate>();
    await foreach (var update in client.GetStreamingResponseAsync(history, chatOptions))
    {
        Console.Write(update.Text);
        updates.Add(update);
    }

    var response = updates.ToChatResponse();
    history.AddMessages(response);
    var usage = response.Usage;
    Console.WriteLine();
    Console.WriteLine($"[finish: {response.FinishReason}; tokens in {usage?.InputTokenCount}, out {usage?.OutputTokenCount}]");

    if (Console.IsInputRedirected || arguments.SingleTurn)
    {
        break;
    }

    Console.Write("\nYou (empty line to quit): ");
    prompt = Console.ReadLine();
}

return SampleExitCodes.Success;
