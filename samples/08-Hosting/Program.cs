// 08 Hosting: the model as a service of the .NET generic host, configured from appsettings.json and checked by health.
// AddLlama4 binds the "Llama4" configuration section (validated when the host starts), loads and warms the model in a
// hosted service, registers an IChatClient and an embedding generator that wait until the model is ready, and adds a
// "llama4" health check. UseLlama4Resilience adds admission control and timeouts to the chat pipeline. The sample
// reads the health before start, when ready and after stop, and sends one request in between.
//
//   dotnet run --project samples/08-Hosting -c Release                        (demo model: random weights)
//   dotnet run --project samples/08-Hosting -c Release -- --model scout.gguf
//   Llama4__MaxParallelSequences=2 dotnet run --project samples/08-Hosting -c Release   (environment variables bind too)
using System.Globalization;
using Llama4.Core;
using Llama4.Hosting;
using Llama4.Samples;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

var arguments = SampleArguments.Parse(args, "08-Hosting");
if (arguments is null)
{
    return 2;
}

// appsettings.json and environment variables come with the builder; the command line's model and context size go on
// top of them. (The sample's own arguments are not handed to the host: it would read them as configuration keys.)
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Llama4:ModelPath"] = SampleModel.ResolveModelPath(arguments),
    ["Llama4:ContextSize"] = arguments.ContextSize.ToString(CultureInfo.InvariantCulture),
});
builder.AddLlama4().UseLlama4Resilience();

using var host = builder.Build();
var health = host.Services.GetRequiredService<HealthCheckService>();
var status = host.Services.GetRequiredService<Llama4ModelStatus>();

SampleConsole.Step("1. Before the host starts");
await PrintHealthAsync(health);

SampleConsole.Step("2. Start: the hosted service loads and warms up the model");
await host.StartAsync();
await status.WaitUntilReadyAsync();
await PrintHealthAsync(health);

SampleConsole.Step("3. A request through the registered IChatClient");
var client = host.Services.GetRequiredService<IChatClient>();
var response = await client.GetResponseAsync("Say hello to the operations team.", new ChatOptions { MaxOutputTokens = arguments.MaxOutputTokens });
SampleConsole.Say("assistant", response.Text);
SampleConsole.Usage(response.Usage);
var statistics = client.GetService<Llama4Engine>()!.GetStatistics();
AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]engine: {statistics.CompletedRequests} requests completed (the warm-up included), {statistics.TokensGenerated} tokens generated.[/]");

SampleConsole.Step("4. Stop: drain, cancel what is left, dispose the model");
await host.StopAsync();
await PrintHealthAsync(health);
return 0;

static async Task PrintHealthAsync(HealthCheckService health)
{
    var report = await health.CheckHealthAsync(check => check.Tags.Contains("llama4"));
    var table = new Table().AddColumns("Check", "Status", "Description", "Data");
    foreach (var (name, entry) in report.Entries)
    {
        var data = string.Join(", ", entry.Data.Where(pair => pair.Key != "modelPath").Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key}={pair.Value}")));
        table.AddRow(Markup.Escape(name), entry.Status.ToString(), Markup.Escape(entry.Description ?? string.Empty), Markup.Escape(data));
    }

    AnsiConsole.Write(table);
}
