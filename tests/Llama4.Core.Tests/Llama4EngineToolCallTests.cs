using System.Text.Json;
using Llama4.Core;
using Llama4.Testing;

namespace Llama4.Core.Tests;

/// <summary>
/// Tool-call plumbing through real generation: a grammar makes the random-weight model write a call, and the engine
/// must turn it into a call (never text) with arguments converted to the schema's types.
/// </summary>
public sealed class Llama4EngineToolCallTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private static readonly Llama4ToolOptions WeatherTools = new(
    [
        new Llama4ToolDefinition(
            "get_weather",
            "Gets the weather",
            JsonDocument.Parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}},\"required\":[\"city\"]}").RootElement),
    ]);

    [Fact]
    public async Task GenerateAsync_ModelWritesJsonCall_ComesBackAsCallNotText()
    {
        var request = ForcedOutput("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"SF\", \"days\": \"3\"}}");

        var (text, calls, reason) = await CollectAsync(request);

        Assert.Equal(string.Empty, text.Trim());
        var call = Assert.Single(calls);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("SF", call.Arguments["city"].GetString());
        Assert.Equal(JsonValueKind.Number, call.Arguments["days"].ValueKind);
        Assert.Equal(3, call.Arguments["days"].GetInt32());
        Assert.Equal(Llama4FinishReason.ToolCalls, reason);
    }

    [Fact]
    public async Task GenerateAsync_ModelWritesPythonicCall_ComesBackAsCall()
    {
        var request = ForcedOutput("Let me look.\n[get_weather(city='Paris')]");

        var (text, calls, reason) = await CollectAsync(request);

        Assert.Equal("Let me look.", text.Trim());
        Assert.Equal("Paris", Assert.Single(calls).Arguments["city"].GetString());
        Assert.Equal(Llama4FinishReason.ToolCalls, reason);
    }

    [Fact]
    public async Task GenerateAsync_ProseWithBraces_StaysText()
    {
        var request = ForcedOutput("Use {\"a\": 1} or [1, 2] here.");

        var (text, calls, reason) = await CollectAsync(request);

        Assert.Equal("Use {\"a\": 1} or [1, 2] here.", text);
        Assert.Empty(calls);
        Assert.Equal(Llama4FinishReason.Stop, reason);
    }

    [Fact]
    public async Task GenerateAsync_StreamedCall_NeverLeaksAsText()
    {
        var request = ForcedOutput("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}");
        var texts = new List<string>();
        var callCount = 0;

        await foreach (var update in fixture.Engine.GenerateAsync(request, TestContext.Current.CancellationToken))
        {
            texts.Add(update.Text);
            callCount += update.ToolCalls.Count;
        }

        Assert.Equal(1, callCount);
        Assert.All(texts, t => Assert.True(string.IsNullOrWhiteSpace(t), $"call text leaked: '{t}'"));
    }

    [Fact]
    public async Task GenerateAsync_RequiredCallCutOffByOutputLimit_ReturnsNeitherTextNorCall()
    {
        var tools = WeatherTools with { Mode = Llama4ToolMode.Required };
        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "Weather in SF?")], tools);
        var request = new Llama4GenerationRequest(prompt)
        {
            Tools = tools,
            MaxOutputTokens = 6,
            Sampling = new Llama4SamplingOptions { Seed = 2 },
        };
        var texts = new List<string>();

        var calls = 0;
        Llama4FinishReason? reason = null;
        await foreach (var update in fixture.Engine.GenerateAsync(request, TestContext.Current.CancellationToken))
        {
            texts.Add(update.Text);
            calls += update.ToolCalls.Count;
            reason = update.FinishReason ?? reason;
        }

        Assert.Equal(Llama4FinishReason.Length, reason);
        Assert.Equal(0, calls);
        Assert.All(texts, t => Assert.True(t.Length == 0, $"the unfinished call leaked as text: '{t}'"));
    }

    [Fact]
    public async Task GenerateAsync_RequiredPythonicCall_IsASchemaValidCallUnderTheRealNameForEverySeed()
    {
        var tools = new Llama4ToolOptions(
        [
            new Llama4ToolDefinition(
                "get-stock-price",
                "Gets a price",
                JsonDocument.Parse("{\"type\":\"object\",\"properties\":{\"ticker\":{\"type\":\"string\",\"maxLength\":6},\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":30},\"exact\":{\"type\":\"boolean\"}},\"required\":[\"ticker\",\"days\"]}").RootElement),
        ])
        {
            Mode = Llama4ToolMode.Required,
            Style = Llama4ToolCallStyle.Pythonic,
        };
        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "MSFT price?")], tools);

        for (var seed = 1; seed <= 6; seed++)
        {
            var request = new Llama4GenerationRequest(prompt) { Tools = tools, MaxOutputTokens = 200, Sampling = new Llama4SamplingOptions { Seed = seed } };

            var (text, calls, reason) = await CollectAsync(request);

            Assert.Equal(Llama4FinishReason.ToolCalls, reason);
            Assert.Equal(string.Empty, text.Trim());
            var call = Assert.Single(calls);
            Assert.Equal("get-stock-price", call.Name);
            Assert.Equal(JsonValueKind.String, call.Arguments["ticker"].ValueKind);
            Assert.InRange(call.Arguments["ticker"].GetString()!.Length, 0, 6);
            Assert.InRange(call.Arguments["days"].GetInt32(), 1, 30);
            if (call.Arguments.TryGetValue("exact", out var exact))
            {
                Assert.True(exact.ValueKind is JsonValueKind.True or JsonValueKind.False);
            }
        }
    }

    private static Llama4GenerationRequest ForcedOutput(string output)
    {
        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "Weather in SF?")], WeatherTools);
        return new Llama4GenerationRequest(prompt)
        {
            Tools = WeatherTools,
            MaxOutputTokens = 200,
            Sampling = new Llama4SamplingOptions { Seed = 1 },
            Grammar = new Llama4Grammar("root ::= " + JsonSerializer.Serialize(output)),
        };
    }

    private async Task<(string Text, List<Llama4ToolCall> Calls, Llama4FinishReason Reason)> CollectAsync(Llama4GenerationRequest request)
    {
        var text = string.Empty;
        var calls = new List<Llama4ToolCall>();
        Llama4FinishReason? reason = null;
        await foreach (var update in fixture.Engine.GenerateAsync(request, TestContext.Current.CancellationToken))
        {
            text += update.Text;
            calls.AddRange(update.ToolCalls);
            reason = update.FinishReason ?? reason;
        }

        return (text, calls, reason!.Value);
    }
}
