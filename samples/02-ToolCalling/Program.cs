// 02 Tool calling: the model calls .NET functions, and UseFunctionInvocation() runs them.
// AIFunctionFactory turns a method into a tool (name, description and a JSON schema of its parameters); the
// Llama4ChatClient offers it in Llama 4's prompt format and parses the model's call; FunctionInvokingChatClient (added by
// UseFunctionInvocation) invokes it, sends the result back and asks again until the model answers in text. The response
// carries the whole exchange: the call, the result and the answer.
//
//   dotnet run --project samples/02-ToolCalling -c Release                        (demo model: random weights)
//   dotnet run --project samples/02-ToolCalling -c Release -- --model scout.gguf
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Llama4.Extensions.AI;
using Llama4.Samples;
using Microsoft.Extensions.AI;
using Spectre.Console;

var arguments = SampleArguments.Parse(args, "02-ToolCalling");
if (arguments is null)
{
    return 2;
}

await using var engine = await SampleModel.LoadEngineAsync(arguments);

// The pipeline: function invocation on top, the model at the bottom.
using var client = new ChatClientBuilder(new Llama4ChatClient(engine))
    .UseFunctionInvocation()
    .Build();

// A tool. The descriptions and the length limit go into the schema the model sees (and the grammar that constrains a call).
var getWeather = AIFunctionFactory.Create(
    ([Description("The city, for example Lisbon"), StringLength(40, MinimumLength = 1)] string city) =>
        string.Create(CultureInfo.InvariantCulture, $"{city}: 18 °C, light rain, wind 12 km/h from the west."),
    "get_weather",
    "Gets the current weather in a city.");

var options = new ChatOptions
{
    // A call is a whole JSON object (name and arguments): leave it room, or the token limit cuts it short.
    MaxOutputTokens = Math.Max(arguments.MaxOutputTokens, 160),
    Tools = [getWeather],

    // Auto lets the model decide. Random weights never decide to call, so on the demo model the first round requires
    // this tool; FunctionInvokingChatClient switches back to Auto after it, so the model then answers with the result.
    ToolMode = arguments.IsDemo ? ChatToolMode.RequireSpecific("get_weather") : ChatToolMode.Auto,
};

const string Question = "Should I take an umbrella in Lisbon today?";
SampleConsole.Step("One question; the model may call get_weather before it answers");
SampleConsole.Say("user", Question);
if (arguments.IsDemo)
{
    AnsiConsole.MarkupLine("[grey](demo model: ToolMode = RequireSpecific(\"get_weather\") for the first round)[/]");
}

var response = await client.GetResponseAsync(Question, options);

// Every message of the exchange, as FunctionInvokingChatClient recorded it.
foreach (var message in response.Messages)
{
    foreach (var content in message.Contents)
    {
        switch (content)
        {
            case FunctionCallContent call:
                SampleConsole.Say("tool call", $"{call.Name}({string.Join(", ", call.Arguments?.Select(a => $"{a.Key}: {a.Value}") ?? [])})");
                break;
            case FunctionResultContent result:
                SampleConsole.Say("tool result", result.Result?.ToString() ?? "(none)");
                break;
            case TextContent text when !string.IsNullOrEmpty(text.Text):
                SampleConsole.Say("assistant", text.Text);
                break;
        }
    }
}

// The usage adds up every round of the exchange.
SampleConsole.Usage(response.Usage);
AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{response.Messages.Count} messages; finish reason {response.FinishReason}.[/]");
return 0;
