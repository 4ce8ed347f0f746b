using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Llama4.Extensions.AI;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests;

/// <summary>Tool calling through the real engine on the random-weight tiny model: guarantees that hold by construction.</summary>
public sealed class Llama4ChatClientToolCallingTests(PerSequenceKvEngineFixture fixture) : IClassFixture<PerSequenceKvEngineFixture>, IDisposable
{
    private static readonly AIFunction[] Tools =
    [
        AIFunctionFactory.Create(BookFlight, "book_flight", "Books a flight."),
        AIFunctionFactory.Create(SearchProducts, "search-products", "Searches the catalogue."),
        AIFunctionFactory.Create(SetAlarm, "alarm.set", "Sets an alarm."),
    ];

    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Book me a flight to Oslo, then find shoes.")];

    private readonly Llama4ChatClient _client = new(fixture.Engine);

    public enum ProductCategory
    {
        Shoes,
        Shirts,
        Hats,
    }

    public enum Cabin
    {
        Economy,
        Business,
        First,
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task GetResponseAsync_RequiredToolMode_FiftySeedsAllGiveSchemaValidCallsOfOfferedTools()
    {
        var schemas = Tools.ToDictionary(t => t.Name, t => NJsonSchema.JsonSchema.FromJsonAsync(t.JsonSchema.GetRawText()).GetAwaiter().GetResult());

        var responses = await Task.WhenAll(Enumerable.Range(1, 50).Select(seed => _client.GetResponseAsync(
            Question,
            new ChatOptions { Tools = [.. Tools], ToolMode = ChatToolMode.RequireAny, Seed = seed, MaxOutputTokens = 600 },
            TestContext.Current.CancellationToken)));

        foreach (var response in responses)
        {
            Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
            var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
            Assert.Contains(call.Name, schemas.Keys);
            Assert.StartsWith("call_", call.CallId, StringComparison.Ordinal);
            var arguments = JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions);
            var errors = schemas[call.Name].Validate(arguments);
            Assert.True(errors.Count == 0, $"{call.Name}({arguments}): {string.Join("; ", errors)}");
        }

        Assert.True(responses.Select(r => r.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single().Name).Distinct().Count() > 1, "the grammar should let every offered tool be chosen");
    }

    [Fact]
    public async Task GetResponseAsync_RequireSpecificTool_CallsThatTool()
    {
        for (var seed = 1; seed <= 5; seed++)
        {
            var response = await _client.GetResponseAsync(
                Question,
                new ChatOptions { Tools = [.. Tools], ToolMode = ChatToolMode.RequireSpecific("alarm.set"), Seed = seed, MaxOutputTokens = 300 },
                TestContext.Current.CancellationToken);

            Assert.Equal("alarm.set", Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()).Name);
        }
    }

    [Fact]
    public async Task GetResponseAsync_AllowMultipleToolCalls_GivesOneOrMoreValidCalls()
    {
        var responses = await Task.WhenAll(Enumerable.Range(1, 4).Select(seed => _client.GetResponseAsync(
            Question,
            new ChatOptions { Tools = [Tools[2]], ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = true, Seed = seed, MaxOutputTokens = 400 },
            TestContext.Current.CancellationToken)));

        Assert.All(responses, r => Assert.Equal(ChatFinishReason.ToolCalls, r.FinishReason));
        Assert.All(responses, r => Assert.InRange(r.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Count(), 1, 8));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_RequiredCall_StreamsOnlyTheCallAndUsage()
    {
        var updates = await _client.GetStreamingResponseAsync(
            Question,
            new ChatOptions { Tools = [.. Tools], ToolMode = ChatToolMode.RequireAny, Seed = 3, MaxOutputTokens = 600 },
            TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(updates.SelectMany(u => u.Contents), c => c is TextContent t && t.Text.Trim().Length > 0);
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
        Assert.Single(updates.Select(u => u.MessageId).Distinct());
    }

    private static string BookFlight(
        [Description("Destination city"), StringLength(24)] string destination,
        [Range(1, 9)] int passengers,
        Cabin cabin,
        FlightExtras? extras = null) => $"{destination} {passengers} {cabin} {extras}";

    private static string SearchProducts(
        [StringLength(40, MinimumLength = 1)] string query,
        [Length(1, 3)] ProductCategory[] categories,
        [Range(0.0, 1000.0)] double? maxPrice = null) => $"{query} {categories.Length} {maxPrice}";

    private static string SetAlarm(TimeOfDay at, bool vibrate) => $"{at} {vibrate}";

    public sealed record FlightExtras(bool Meal, [property: Range(0, 3)] int Bags, [property: Length(0, 2)] Note[]? Notes);

    public sealed record Note([property: StringLength(16)] string Text);

    public sealed record TimeOfDay([property: Range(0, 23)] int Hour, [property: Range(0, 59)] int Minute);
}
