using Llama4.Core;
using Llama4.Extensions.AI;
using Llama4.Testing;
using Microsoft.Extensions.AI;

namespace Llama4.Extensions.AI.Tests;

/// <summary>
/// DataContent images through the chat client, on the tiny model with the tiny projector (56-pixel tiles of 4 tokens;
/// 112x56 is a 2x1 grid plus an overview tile: 12 tokens).
/// </summary>
public sealed class Llama4ChatClientVisionTests(VisionEngineFixture fixture) : IClassFixture<VisionEngineFixture>, IDisposable
{
    private readonly Llama4ChatClient _client = new(fixture.Engine);

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task GetResponseAsync_AndStreaming_PngImage_UsageCountsItsTokens()
    {
        var messages = new[] { new ChatMessage(ChatRole.User, [new TextContent("What is this?"), new DataContent(TestImages.Png(112, 56, seed: 21), "image/png")]) };
        var options = new ChatOptions { Seed = 3, MaxOutputTokens = 5 };
        var expectedPrompt = fixture.Engine.CountTokens(Llama4ChatMapper.ToRequest(messages, options, _client, fixture.Engine.ModelId).Prompt);

        var response = await _client.GetResponseAsync(messages, options, TestContext.Current.CancellationToken);
        var streamed = (await _client.GetStreamingResponseAsync(messages, options, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken)).ToChatResponse();

        foreach (var usage in new[] { response.Usage!, streamed.Usage! })
        {
            Assert.Equal(expectedPrompt, usage.InputTokenCount);
            Assert.Equal(12, usage.AdditionalCounts![Llama4UsageCounts.ImageInputTokens]);
            Assert.InRange(usage.OutputTokenCount!.Value, 1, 5);
        }

        // The streamed run repeated the prompt: everything but its last token came from the cache, the image included.
        Assert.Equal(expectedPrompt - 1, streamed.Usage!.CachedInputTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_SeveralImagesPerMessageAndConversation_CountsAll()
    {
        ChatMessage[] messages =
        [
            new(ChatRole.User, [new DataContent(TestImages.Png(56, 56, seed: 1), "image/png"), new DataContent(TestImages.Bmp(30, 30, seed: 2), "image/bmp"), new TextContent("Two pictures.")]),
            new(ChatRole.Assistant, "I see them."),
            new(ChatRole.User, [new TextContent("And a third:"), new DataContent(TestImages.Gif1x1, "image/gif")]),
        ];

        var response = await _client.GetResponseAsync(messages, new ChatOptions { Seed = 4, MaxOutputTokens = 4 }, TestContext.Current.CancellationToken);

        Assert.Equal(12, response.Usage!.AdditionalCounts![Llama4UsageCounts.ImageInputTokens]);
    }

    [Fact]
    public async Task GetResponseAsync_SecondTurnWithSameImage_ReusesTheCachedImage()
    {
        var image = new DataContent(TestImages.Png(112, 56, seed: 55), "image/png");
        var history = new List<ChatMessage> { new(ChatRole.User, [image, new TextContent("Describe it.")]) };
        var options = new ChatOptions { Seed = 8, MaxOutputTokens = 4, ConversationId = "client-vision" };
        var first = await _client.GetResponseAsync(history, options, TestContext.Current.CancellationToken);
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, "Shorter."));

        var second = await _client.GetResponseAsync(history, options, TestContext.Current.CancellationToken);

        // BOS, header (3 tokens), "\n\n", <|image_start|>, 12 image tokens, <|image_end|>: at least 19 cached.
        Assert.True(second.Usage!.CachedInputTokenCount > 19, $"cached {second.Usage.CachedInputTokenCount}");
        Assert.Equal(12, second.Usage.AdditionalCounts![Llama4UsageCounts.ImageInputTokens]);
    }

    [Fact]
    public void TokenCounter_MessagesWithImages_CountsAsTheEngineDecodes()
    {
        var counter = new Llama4ChatTokenCounter(fixture.Engine);
        ChatMessage[] messages =
        [
            new(ChatRole.System, "You read pictures."),
            new(ChatRole.User, [new DataContent(TestImages.Png(112, 56, seed: 31), "image/png"), new TextContent("This?")]),
            new(ChatRole.Assistant, "A chart."),
            new(ChatRole.User, [new TextContent("And this?"), new DataContent(TestImages.Gif1x1, "image/gif")]),
        ];

        var expected = fixture.Engine.CountTokens(Llama4ChatMapper.ToRequest(messages, null, _client, fixture.Engine.ModelId).Prompt);

        Assert.Equal(expected, counter.CountTokens(messages));
    }

    [Theory]
    [InlineData("webp media type", Llama4ImageProblem.UnsupportedFormat)]
    [InlineData("png type, webp bytes", Llama4ImageProblem.UnsupportedFormat)]
    [InlineData("corrupt png", Llama4ImageProblem.Corrupt)]
    [InlineData("oversized png", Llama4ImageProblem.TooLarge)]
    [InlineData("image from the assistant", Llama4ImageProblem.InvalidPlacement)]
    public async Task GetResponseAsync_UnusableImage_ThrowsTypedErrorAndKeepsServing(string kind, Llama4ImageProblem expected)
    {
        var png = TestImages.Png(56, 56, seed: 12);
        var message = kind switch
        {
            "webp media type" => new ChatMessage(ChatRole.User, [new DataContent(TestImages.WebP, "image/webp")]),
            "png type, webp bytes" => new ChatMessage(ChatRole.User, [new DataContent(TestImages.WebP, "image/png")]),
            "corrupt png" => new ChatMessage(ChatRole.User, [new DataContent(png.AsMemory(0, 30), "image/png")]),
            "oversized png" => new ChatMessage(ChatRole.User, [new DataContent(TestImages.PngHeaderOnly(30000, 30000), "image/png")]),
            _ => new ChatMessage(ChatRole.Assistant, [new DataContent(png, "image/png")]),
        };

        var error = await Assert.ThrowsAsync<Llama4ImageException>(() => _client.GetResponseAsync([message], new ChatOptions { MaxOutputTokens = 3 }, TestContext.Current.CancellationToken));

        Assert.Equal(expected, error.Problem);
        var next = await _client.GetResponseAsync([new ChatMessage(ChatRole.User, "Still there?")], new ChatOptions { MaxOutputTokens = 3 }, TestContext.Current.CancellationToken);
        Assert.InRange(next.Usage!.OutputTokenCount!.Value, 1, 3);
    }
}
