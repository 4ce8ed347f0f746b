// 07 Semantic Kernel: Llama 4 as a kernel's chat service, calling plugin functions through FunctionChoiceBehavior.
// AddLlama4ChatClient registers the in-process model on the kernel builder (with Semantic Kernel's function invocation
// around it). A plugin's [KernelFunction] methods become tools; FunctionChoiceBehavior in the execution settings decides
// whether the model may call them (Auto), must call one (Required) or sees none (None). The kernel runs the calls,
// including its function-invocation filters, and the model answers with the results.
//
//   dotnet run --project samples/07-SemanticKernel -c Release                        (demo model: random weights)
//   dotnet run --project samples/07-SemanticKernel -c Release -- --model scout.gguf
using System.Globalization;
using Llama4.Samples;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Spectre.Console;

var arguments = SampleArguments.Parse(args, "07-SemanticKernel");
if (arguments is null)
{
    return 2;
}

var modelPath = SampleModel.ResolveModelPath(arguments);
var builder = Kernel.CreateBuilder().AddLlama4ChatClient(options =>
{
    options.ModelPath = modelPath;
    options.ContextSize = arguments.ContextSize;
});
var orders = new OrdersPlugin();
builder.Plugins.AddFromObject(orders, "orders");
var kernel = builder.Build();
var getOrderStatus = kernel.Plugins.GetFunction("orders", "get_order_status");

// Auto lets the model choose. Random weights never choose a tool, so the demo model is required to call this one in
// its first round (Semantic Kernel then lets it answer freely with the result).
PromptExecutionSettings Settings() => new()
{
    FunctionChoiceBehavior = arguments.IsDemo ? FunctionChoiceBehavior.Required([getOrderStatus]) : FunctionChoiceBehavior.Auto(),
    ExtensionData = new Dictionary<string, object> { ["max_tokens"] = Math.Max(arguments.MaxOutputTokens, 160) },
};

// 1. A prompt function: a template with arguments, rendered and sent in one call.
SampleConsole.Step("1. kernel.InvokePromptAsync with a template");
const string Template = "Where is my order {{$order}}? Answer in one sentence.";
SampleConsole.Say("template", Template);
var result = await kernel.InvokePromptAsync(Template, new KernelArguments(Settings()) { ["order"] = "4471" });
SampleConsole.Say("assistant", result.GetValue<string>() ?? string.Empty);

// 2. The chat-completion service with a ChatHistory: the history records the calls and their results.
SampleConsole.Step("2. IChatCompletionService with a ChatHistory");
var chat = kernel.GetRequiredService<IChatClient>().AsChatCompletionService(kernel.Services);
var history = new ChatHistory("You are a customer-support assistant for an online shop.");
history.AddUserMessage("Has order 1208 shipped yet?");
SampleConsole.Say("user", history[^1].Content ?? string.Empty);
var reply = await chat.GetChatMessageContentAsync(history, Settings(), kernel);
history.Add(reply);
SampleConsole.Say("assistant", reply.Content ?? string.Empty);
foreach (var message in history)
{
    var items = string.Join(", ", message.Items.Select(item => item.GetType().Name));
    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]history: {message.Role,-9} {items}[/]");
}

AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]The kernel ran orders.get_order_status {orders.Invocations} time(s).[/]");

return 0;
