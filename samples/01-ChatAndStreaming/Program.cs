// 01 Chat and streaming: the IChatClient basics on Llama 4 running in this process.
// It loads the engine once, wraps it in a Llama4ChatClient, asks a question and waits for the whole reply
// (GetResponseAsync), then streams a follow-up token by token (GetStreamingResponseAsync). The follow-up sends the whole
// history again, as every IChatClient caller does; the engine finds the earlier turn in its KV cache, and
// Usage.CachedInputTokenCount says how many prompt tokens it did not decode again.
//
//   dotnet run --project samples/01-ChatAndStreaming -c Release                        (demo model: random weights)
//   dotnet run --project samples/01-ChatAndStreaming -c Release -- --model scout.gguf
using System.Globalization;
using Llama4.Extensions.AI;
using Llama4.Samples;
using Microsoft.Extensions.AI;
using Spectre.Console;

var arguments = SampleArguments.Parse(args, "01-ChatAndStreaming");
if (arguments is null)
{
    return 2;
}

// One engine holds the weights and the KV cache; clients over it are cheap, and disposing one leaves the engine loaded.
await using var engine = await SampleModel.LoadEngineAsync(arguments);
using var client = new Llama4ChatClient(engine); // an IChatClient
var options = new ChatOptions { MaxOutputTokens = arguments.MaxOutputTokens };

List<ChatMessage> history =
[
    new(ChatRole.System, "You are a concise assistant. Answer in at most three sentences."),
    new(ChatRole.User, "Name three unusual uses for a paper clip."),
];

SampleConsole.Step("1. GetResponseAsync: one request, the complete reply");
SampleConsole.Say("user", history[^1].Text);
var response = await client.GetResponseAsync(history, options);
SampleConsole.Say("assistant", response.Text);
SampleConsole.Usage(response.Usage);
history.AddMessages(response);

SampleConsole.Step("2. GetStreamingResponseAsync: the reply token by token");
history.Add(new ChatMessage(ChatRole.User, "Which of them is the most surprising, and why?"));
SampleConsole.Say("user", history[^1].Text);
AnsiConsole.Markup("[bold blue]assistant:[/] ");
List<ChatResponseUpdate> updates = [];
await foreach (var update in client.GetStreamingResponseAsync(history, options))
{
    AnsiConsole.Write(new Text(update.Text));
    updates.Add(update);
}

AnsiConsole.WriteLine();

// The updates add up to an ordinary ChatResponse: its usage arrives in the last update, with the finish reason.
var streamed = updates.ToChatResponse();
SampleConsole.Usage(streamed.Usage);
AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]finish reason: {streamed.FinishReason}; {updates.Count} updates, all with message id {updates[0].MessageId}.[/]");
history.AddMessages(streamed);
return 0;
