using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Llama4.Extensions.AI;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests;

/// <summary>Structured output on the random-weight tiny model: validity holds by construction.</summary>
public sealed class Llama4ChatClientStructuredOutputTests(PerSequenceKvEngineFixture fixture) : IClassFixture<PerSequenceKvEngineFixture>, IDisposable
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Describe a product as JSON.")];

    private readonly Llama4ChatClient _client = new(fixture.Engine);

    public enum Color
    {
        Red,
        Green,
        Blue,
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task GetResponseAsync_JsonSchemaFormat_FiftySeedsAllValidate()
    {
        var schema = AIJsonUtilities.CreateJsonSchema(typeof(Product));
        var validator = await NJsonSchema.JsonSchema.FromJsonAsync(schema.GetRawText(), TestContext.Current.CancellationToken);

        var responses = await Task.WhenAll(Enumerable.Range(1, 50).Select(seed => _client.GetResponseAsync(
            Question,
            new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "product"), Seed = seed, MaxOutputTokens = 400 },
            TestContext.Current.CancellationToken)));

        foreach (var response in responses)
        {
            Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
            var errors = validator.Validate(response.Text);
            Assert.True(errors.Count == 0, $"{response.Text}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public async Task GetResponseAsync_JsonFormatWithoutSchema_IsAJsonObjectForEverySeed()
    {
        var responses = await Task.WhenAll(Enumerable.Range(1, 12).Select(seed => _client.GetResponseAsync(
            Question,
            new ChatOptions { ResponseFormat = ChatResponseFormat.Json, Seed = seed, MaxOutputTokens = 600 },
            TestContext.Current.CancellationToken)));

        foreach (var response in responses)
        {
            Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
            using var document = JsonDocument.Parse(response.Text);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetResponseAsyncOfT_WithAndWithoutTheSchemaFormat_DeserializesForEverySeed(bool useJsonSchemaResponseFormat)
    {
        var responses = await Task.WhenAll(Enumerable.Range(1, 8).Select(seed => _client.GetResponseAsync<Product>(
            Question,
            new ChatOptions { Seed = seed, MaxOutputTokens = 600 },
            useJsonSchemaResponseFormat,
            TestContext.Current.CancellationToken)));

        foreach (var response in responses)
        {
            Assert.True(response.TryGetResult(out var product), response.Text);
            Assert.NotNull(product);
        }
    }

    [Fact]
    public async Task GetResponseAsyncOfT_DeserializesTheConstrainedReply()
    {
        var response = await _client.GetResponseAsync<Product>(Question, new ChatOptions { Seed = 5, MaxOutputTokens = 400 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(response.TryGetResult(out var product), response.Text);
        Assert.InRange(product.Stock, 0, 99);
        Assert.True(Enum.IsDefined(product.Color));
    }

    public sealed record Product([property: StringLength(20, MinimumLength = 1)] string Name, [property: Range(0, 99)] int Stock, Color Color, [property: Length(0, 3)] Dimension[] Sizes);

    public sealed record Dimension([property: Range(1, 500)] int Centimeters, bool Metric);
}
