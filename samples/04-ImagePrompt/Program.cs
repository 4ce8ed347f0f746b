// 04 Image prompt: a user message that carries a picture as well as text.
// Llama 4 reads images through a vision projector (a second GGUF, "mmproj") loaded beside the model. A DataContent with
// the image's bytes goes into the user message before the question; the engine checks the bytes, encodes the image into
// tokens and the model answers about it. Usage counts the image's tokens, and a second question about the same image
// reuses them from the KV cache instead of encoding the picture again.
//
//   dotnet run --project samples/04-ImagePrompt -c Release                        (demo model and projector: random weights)
//   dotnet run --project samples/04-ImagePrompt -c Release -- --model scout.gguf --projector mmproj-scout.gguf --image photo.jpg
using System.Globalization;
using Llama4.Extensions.AI;
using Llama4.Samples;
using Microsoft.Extensions.AI;
using Spectre.Console;

var arguments = SampleArguments.Parse(args, "04-ImagePrompt", valueOptions: ["--image"]);
if (arguments is null)
{
    return 2;
}

var projector = SampleModel.ResolveProjectorPath(arguments);
if (projector is null)
{
    Console.Error.WriteLine("A real model reads images only with its vision projector: pass --projector PATH (the mmproj GGUF converted with the model).");
    return 2;
}

var imagePath = arguments.GetValue("--image") ?? Path.Combine(AppContext.BaseDirectory, "sunset.png");
string? mediaType = Path.GetExtension(imagePath).ToUpperInvariant() switch
{
    ".PNG" => "image/png",
    ".JPG" or ".JPEG" => "image/jpeg",
    ".GIF" => "image/gif",
    ".BMP" => "image/bmp",
    _ => null,
};
if (mediaType is null || !File.Exists(imagePath))
{
    Console.Error.WriteLine($"--image needs an existing PNG, JPEG, GIF or BMP file; '{imagePath}' is not one.");
    return 2;
}

await using var engine = await SampleModel.LoadEngineAsync(arguments, options => options.ProjectorPath = projector);
using var client = new Llama4ChatClient(engine);
AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]Projector {Path.GetFileName(projector)}: {engine.ImageTokensPerTile} tokens per image tile.[/]");
var options = new ChatOptions { MaxOutputTokens = arguments.MaxOutputTokens };

// The image goes first, then the question: the order Llama 4 was trained on.
var image = new DataContent(await File.ReadAllBytesAsync(imagePath), mediaType);
List<ChatMessage> history = [new(ChatRole.User, [image, new TextContent("Describe this picture in one sentence.")])];

SampleConsole.Step($"1. A question about {Path.GetFileName(imagePath)} ({image.Data.Length} bytes)");
SampleConsole.Say("user", $"[{mediaType}] {history[0].Text}");
var first = await client.GetResponseAsync(history, options);
SampleConsole.Say("assistant", first.Text);
SampleConsole.Usage(first.Usage);
PrintImageTokens(first.Usage);
history.AddMessages(first);

SampleConsole.Step("2. A follow-up about the same picture: its tokens come from the KV cache");
history.Add(new ChatMessage(ChatRole.User, "What colours dominate it?"));
SampleConsole.Say("user", history[^1].Text);
var second = await client.GetResponseAsync(history, options);
SampleConsole.Say("assistant", second.Text);
SampleConsole.Usage(second.Usage);
PrintImageTokens(second.Usage);
return 0;

static void PrintImageTokens(UsageDetails? usage)
{
    if (usage?.AdditionalCounts?.TryGetValue(Llama4UsageCounts.ImageInputTokens, out var imageTokens) == true)
    {
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]of the prompt tokens, {imageTokens} stand for the image.[/]");
    }
}
