// 03 Structured output: a typed .NET object instead of text, with GetResponseAsync<T>.
// Microsoft.Extensions.AI derives a JSON schema from the type (descriptions, lengths, ranges and enums included) and
// sends it as ChatOptions.ResponseFormat; the Llama4ChatClient compiles the schema into a grammar, so every token the
// model samples keeps the reply valid against it: the reply always deserializes, even from random weights.
//
//   dotnet run --project samples/03-StructuredOutput -c Release                        (demo model: random weights)
//   dotnet run --project samples/03-StructuredOutput -c Release -- --model scout.gguf
using System.Globalization;
using Llama4.Extensions.AI;
using Llama4.Samples;
using Microsoft.Extensions.AI;
using Spectre.Console;

var arguments = SampleArguments.Parse(args, "03-StructuredOutput");
if (arguments is null)
{
    return 2;
}

await using var engine = await SampleModel.LoadEngineAsync(arguments);
using var client = new Llama4ChatClient(engine);

const string Ticket = "Hi, I ordered the blue kettle (order 4471) two weeks ago and it still hasn't arrived. " +
                      "This is the second time this happens, I'm really disappointed. Can you refund me?";
SampleConsole.Step("GetResponseAsync<TicketTriage>: the reply is a TicketTriage object");
SampleConsole.Say("ticket", Ticket);

// The limits on strings and lists also bound how long the reply can get; give it room for the whole object.
var response = await client.GetResponseAsync<TicketTriage>(
    [
        new ChatMessage(ChatRole.System, "You triage customer-support tickets. Reply with the triage as JSON."),
        new ChatMessage(ChatRole.User, Ticket),
    ],
    new ChatOptions { MaxOutputTokens = Math.Max(arguments.MaxOutputTokens, 256) });

if (!response.TryGetResult(out var triage))
{
    // Only when the token limit cut the JSON short; the grammar rules out anything else.
    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]No complete object within the token limit (finish reason {response.FinishReason}).[/]");
    return 1;
}

var table = new Table().AddColumns("Property", "Value").HideHeaders();
table.AddRow("Category", triage.Category.ToString());
table.AddRow("Sentiment", triage.Sentiment.ToString(CultureInfo.InvariantCulture));
table.AddRow("Order number", triage.OrderNumber?.ToString(CultureInfo.InvariantCulture) ?? "(none)");
table.AddRow("Summary", Markup.Escape(triage.Summary));
table.AddRow("Next steps", Markup.Escape(string.Join(" / ", triage.NextSteps)));
AnsiConsole.Write(table);
SampleConsole.Say("raw JSON", response.Text);
SampleConsole.Usage(response.Usage);
return 0;
