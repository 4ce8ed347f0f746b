// 09 Sessions: a conversation that survives a restart without re-processing its history.
// The application keeps the messages (here a JSON file); the engine keeps the model's side, the KV cache of the
// conversation. SaveSessionAsync writes that cache to a stream; after a restart (here: the engine is disposed and a new
// one loaded from the same file) RestoreSessionAsync brings it back, and the next turn decodes only its new tokens.
// A restore refuses a file from another model or KV-cache configuration with a Llama4SessionException instead of
// continuing from a cache that does not match.
//
//   dotnet run --project samples/09-Sessions -c Release                        (demo model: random weights)
//   dotnet run --project samples/09-Sessions -c Release -- --model scout.gguf --data ./my-session
using System.Globalization;
using System.Text.Json;
using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.Samples;
using Microsoft.Extensions.AI;
using Spectre.Console;

var arguments = SampleArguments.Parse(args, "09-Sessions", valueOptions: ["--data"]);
if (arguments is null)
{
    return 2;
}

var folder = arguments.GetValue("--data") ?? Path.Combine(Path.GetTempPath(), "llama4-sample-session");
Directory.CreateDirectory(folder);
var historyPath = Path.Combine(folder, "history.json");
var sessionPath = Path.Combine(folder, "session.l4kv");
var options = new ChatOptions { MaxOutputTokens = arguments.MaxOutputTokens };
var engineOptions = SampleModel.CreateEngineOptions(arguments);

// Before the restart: two turns, then save the messages (the application's job) and the KV cache (the engine's).
await using (var engine = await Llama4Engine.LoadAsync(engineOptions))
{
    using var client = new Llama4ChatClient(engine);
    List<ChatMessage> history = [new(ChatRole.System, "You are a travel agent. Keep answers short.")];
    foreach (var question in new[] { "I want to visit Porto in May. What should I see?", "And where should I eat?" })
    {
        SampleConsole.Step("Before the restart");
        history.Add(new ChatMessage(ChatRole.User, question));
        SampleConsole.Say("user", question);
        var response = await client.GetResponseAsync(history, options);
        SampleConsole.Say("assistant", response.Text);
        SampleConsole.Usage(response.Usage);
        history.AddMessages(response);
    }

    await File.WriteAllTextAsync(historyPath, JsonSerializer.Serialize(history, AIJsonUtilities.DefaultOptions));
    await using var file = File.Create(sessionPath);
    var saved = await client.SaveSessionAsync(history, file, options);
    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
        $"[grey]Saved {history.Count} messages to {historyPath} and the KV cache of {saved.TokenCount} tokens ({saved.StateBytes / 1024.0:0} KiB) to {sessionPath}.[/]");
}

SampleConsole.Step("Restart: the engine is disposed and a new one loaded; nothing is left in memory");

// After the restart: read the messages back, restore the cache, and carry on.
await using (var engine = await Llama4Engine.LoadAsync(engineOptions))
{
    using var client = new Llama4ChatClient(engine);
    var history = JsonSerializer.Deserialize<List<ChatMessage>>(await File.ReadAllTextAsync(historyPath), AIJsonUtilities.DefaultOptions)!;
    try
    {
        await using var file = File.OpenRead(sessionPath);
        var restored = await client.RestoreSessionAsync(file);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]Restored {history.Count} messages and a KV cache of {restored.TokenCount} tokens.[/]");
    }
    catch (Llama4SessionException e)
    {
        // Another model, another KV configuration, a damaged file: the history is still good, only slower to resume.
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]The KV cache was not restored ({e.Problem}): the next turn re-processes the history.[/]");
    }

    SampleConsole.Step("After the restart");
    history.Add(new ChatMessage(ChatRole.User, "Remind me: which city were we talking about?"));
    SampleConsole.Say("user", history[^1].Text);
    var response = await client.GetResponseAsync(history, options);
    SampleConsole.Say("assistant", response.Text);
    SampleConsole.Usage(response.Usage);
}

return 0;
