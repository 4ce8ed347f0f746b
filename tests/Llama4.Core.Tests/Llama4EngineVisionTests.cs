using Llama4.Core;
using Llama4.Testing;
using Llama4.TinyModel;

namespace Llama4.Core.Tests;

/// <summary>
/// Image prompts on the tiny model with the tiny projector: 56-pixel tiles of 4 tokens; an image no larger than a tile
/// is one tile, a larger one a grid of tiles plus an overview tile (112x56: 2x1 + 1 = 3 tiles, 12 tokens).
/// </summary>
public sealed class Llama4EngineVisionTests(VisionEngineFixture fixture) : IClassFixture<VisionEngineFixture>
{
    private const int TokensPerTile = 4;
    private const string SystemText = "You describe images.";
    private readonly Llama4Engine _engine = fixture.Engine;

    [Fact]
    public void LoadAsync_WithProjector_ReadsImages()
    {
        Assert.True(_engine.SupportsImages);
        Assert.Equal(TokensPerTile, _engine.ImageTokensPerTile);
    }

    [Theory]
    [InlineData(56, 56, 1)]
    [InlineData(40, 30, 1)]
    [InlineData(112, 56, 3)]
    public async Task GenerateAsync_OnePngImage_CountsTheImageTokensOfItsTiles(int width, int height, int tiles)
    {
        var image = new Llama4Image(TestImages.Png(width, height, seed: width + height));
        var prompt = ImagePrompt("What is in the picture?", image);
        var textOnly = TextTokens(prompt);

        var result = await GenerationResult.CollectAsync(_engine, Request(prompt), TestContext.Current.CancellationToken);

        Assert.Equal(tiles * TokensPerTile, result.Usage.ImageTokens);
        Assert.Equal(textOnly + (tiles * TokensPerTile), result.Usage.PromptTokens);
        Assert.Equal(result.Usage.PromptTokens, _engine.CountTokens(prompt));
        Assert.InRange(result.Usage.OutputTokens, 1, 6);
    }

    [Fact]
    public async Task GenerateAsync_SeveralImagesAndFormats_CountsEveryImage()
    {
        var prompt = Llama4PromptFormatter.Format(
        [
            new Llama4Message(Llama4Role.User, "First two.") { Images = [new Llama4Image(TestImages.Png(56, 56, seed: 3)), new Llama4Image(TestImages.Bmp(20, 20, seed: 4))] },
            new Llama4Message(Llama4Role.Assistant, "Seen."),
            new Llama4Message(Llama4Role.User, "And this one.") { Images = [new Llama4Image(TestImages.Gif1x1)] },
        ]);

        var result = await GenerationResult.CollectAsync(_engine, Request(prompt), TestContext.Current.CancellationToken);

        Assert.Equal(3 * TokensPerTile, result.Usage.ImageTokens);
        Assert.Equal(TextTokens(prompt) + (3 * TokensPerTile), result.Usage.PromptTokens);
    }

    [Fact]
    public async Task CountTokens_SameImageCountedAgain_IsNotDecodedAgainButGenerationDecodesIt()
    {
        var prompt = ImagePrompt("Count me twice.", new Llama4Image(TestImages.Png(56, 56, seed: 77)));
        var first = _engine.CountTokens(prompt);
        var decodes = _engine.ImageDecodeCount;

        var second = _engine.CountTokens(prompt);
        var afterCounting = _engine.ImageDecodeCount;
        var result = await GenerationResult.CollectAsync(_engine, Request(prompt), TestContext.Current.CancellationToken);

        Assert.Equal(first, second);
        Assert.Equal(decodes, afterCounting);
        Assert.Equal(first, result.Usage.PromptTokens);
        Assert.True(_engine.ImageDecodeCount > afterCounting, "generation must decode the image to evaluate its tiles");
    }

    [Fact]
    public async Task GenerateAsync_JpegImage_IsDecodedAndCountedAsOneTile()
    {
        var prompt = ImagePrompt("What is in the picture?", new Llama4Image(TestImages.Jpeg48x40, "image/jpeg"));

        var result = await GenerationResult.CollectAsync(_engine, Request(prompt), TestContext.Current.CancellationToken);

        Assert.Equal(TokensPerTile, result.Usage.ImageTokens);
        Assert.Equal(TextTokens(prompt) + TokensPerTile, result.Usage.PromptTokens);
        Assert.InRange(result.Usage.OutputTokens, 1, 6);
    }

    [Fact]
    public async Task GenerateAsync_SecondTurnWithSameImage_ReusesTheCachedImage()
    {
        var image = new Llama4Image(TestImages.Png(112, 56, seed: 77));
        var first = ImagePrompt("Describe it.", image);
        var firstResult = await GenerationResult.CollectAsync(_engine, Request(first, "vision-reuse"), TestContext.Current.CancellationToken);
        var rejectedBefore = _engine.GetStatistics().RejectedReuses;
        var second = Llama4PromptFormatter.Format(
        [
            new Llama4Message(Llama4Role.System, SystemText),
            new Llama4Message(Llama4Role.User, "Describe it.") { Images = [image] },
            new Llama4Message(Llama4Role.Assistant, firstResult.Text),
            new Llama4Message(Llama4Role.User, "Now in one word."),
        ]);

        var secondResult = await GenerationResult.CollectAsync(_engine, Request(second, "vision-reuse"), TestContext.Current.CancellationToken);

        var imageEnd = ImageEndIndex(first);
        Assert.Equal(12, secondResult.Usage.ImageTokens);
        Assert.True(secondResult.Usage.CachedPromptTokens > imageEnd, $"cached {secondResult.Usage.CachedPromptTokens}, image ends at {imageEnd}");
        Assert.Equal(rejectedBefore, _engine.GetStatistics().RejectedReuses);
    }

    [Fact]
    public async Task GenerateAsync_DifferentImageAfterSameText_ReusesOnlyTheTextBeforeIt()
    {
        var first = ImagePrompt("Compare.", new Llama4Image(TestImages.Png(56, 56, seed: 901)));
        await GenerationResult.CollectAsync(_engine, Request(first), TestContext.Current.CancellationToken);
        var second = ImagePrompt("Compare.", new Llama4Image(TestImages.Png(56, 56, seed: 902)));

        var result = await GenerationResult.CollectAsync(_engine, Request(second), TestContext.Current.CancellationToken);

        Assert.Equal(ImageStartIndex(second), result.Usage.CachedPromptTokens);
    }

    [Fact]
    public async Task GenerateAsync_ImageAlongsideTextRequests_AllComplete()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var image = ImagePrompt("Busy?", new Llama4Image(TestImages.Png(112, 56, seed: 5)));

        var results = await Task.WhenAll(
            GenerationResult.CollectAsync(_engine, Request(image), cancellationToken),
            GenerationResult.CollectAsync(_engine, Prompts.Seeded(seed: 1, maxOutputTokens: 6), cancellationToken),
            GenerationResult.CollectAsync(_engine, Prompts.Seeded(seed: 2, maxOutputTokens: 6, user: "Another one"), cancellationToken));

        Assert.Equal(12, results[0].Usage.ImageTokens);
        Assert.All(results, r => Assert.InRange(r.Usage.OutputTokens, 1, 6));
    }

    [Theory]
    [InlineData("webp", Llama4ImageProblem.UnsupportedFormat)]
    [InlineData("text", Llama4ImageProblem.UnsupportedFormat)]
    [InlineData("truncated png", Llama4ImageProblem.Corrupt)]
    [InlineData("bad crc png", Llama4ImageProblem.Corrupt)]
    [InlineData("truncated gif", Llama4ImageProblem.Corrupt)]
    [InlineData("huge png header", Llama4ImageProblem.TooLarge)]
    public async Task GenerateAsync_UnusableImage_ThrowsTypedErrorAndKeepsServing(string kind, Llama4ImageProblem expected)
    {
        var png = TestImages.Png(56, 56, seed: 9);
        byte[] bytes = kind switch
        {
            "webp" => TestImages.WebP,
            "text" => "not an image at all"u8.ToArray(),
            "truncated png" => png[..(png.Length / 2)],
            "bad crc png" => Flip(png, 40),
            "truncated gif" => TestImages.Gif1x1[..^1],
            _ => TestImages.PngHeaderOnly(20000, 20000),
        };
        var request = Request(ImagePrompt("Look.", new Llama4Image(bytes)));

        var error = await Assert.ThrowsAsync<Llama4ImageException>(
            () => GenerationResult.CollectAsync(_engine, request, TestContext.Current.CancellationToken));

        Assert.Equal(expected, error.Problem);
        var next = await GenerationResult.CollectAsync(_engine, Prompts.Seeded(seed: 3, maxOutputTokens: 4), TestContext.Current.CancellationToken);
        Assert.InRange(next.Usage.OutputTokens, 1, 4);
    }

    [Fact]
    public void Format_ImageInAssistantMessage_ThrowsInvalidPlacement()
    {
        var error = Assert.Throws<Llama4ImageException>(() => Llama4PromptFormatter.Format(
        [
            new Llama4Message(Llama4Role.Assistant, "Here.") { Images = [new Llama4Image(TestImages.Gif1x1)] },
        ]));

        Assert.Equal(Llama4ImageProblem.InvalidPlacement, error.Problem);
    }

    [Fact]
    public void CountTokens_PromptEndingWithImage_ThrowsInvalidPlacement()
    {
        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, string.Empty) { Images = [new Llama4Image(TestImages.Gif1x1)] }], addGenerationPrompt: false);
        var cut = new Llama4Prompt([.. prompt.Segments.TakeWhile(s => s.Image is null), prompt.Segments.First(s => s.Image is not null)]);

        var error = Assert.Throws<Llama4ImageException>(() => _engine.CountTokens(cut));

        Assert.Equal(Llama4ImageProblem.InvalidPlacement, error.Problem);
    }

    [Fact]
    public async Task GenerateAsync_ImageBeyondTheContext_ThrowsOverflowCountingImageTokens()
    {
        var image = new Llama4Image(TestImages.Png(300, 300, seed: 11));
        var prompt = ImagePrompt("Big.", image);
        var size = _engine.CountTokens(prompt);

        var error = Assert.Throws<Llama4ContextOverflowException>(() => _engine.GenerateAsync(Request(prompt) with { MaxOutputTokens = _engine.SequenceContextSize - size + 1 }, TestContext.Current.CancellationToken));

        Assert.Equal(size, error.PromptTokens);
        Assert.Equal(TextTokens(prompt) + (10 * TokensPerTile), size);
    }

    private static Llama4Prompt ImagePrompt(string text, Llama4Image image) => Llama4PromptFormatter.Format(
    [
        new Llama4Message(Llama4Role.System, SystemText),
        new Llama4Message(Llama4Role.User, text) { Images = [image] },
    ]);

    private static Llama4GenerationRequest Request(Llama4Prompt prompt, string? conversationId = null) => new(prompt)
    {
        Sampling = new Llama4SamplingOptions { Seed = 5 },
        MaxOutputTokens = 6,
        ConversationId = conversationId,
    };

    private int TextTokens(Llama4Prompt prompt) =>
        prompt.Segments.Where(s => s.Image is null).Sum(s => s.IsSpecialToken ? 1 : _engine.CountTokens(s.Text));

    private int ImageStartIndex(Llama4Prompt prompt) => TextTokens(new Llama4Prompt([.. prompt.Segments.TakeWhile(s => s.Image is null)]));

    private int ImageEndIndex(Llama4Prompt prompt) => _engine.CountTokens(new Llama4Prompt([.. prompt.Segments.TakeWhile(s => s.Text != Llama4SpecialTokens.ImageEnd), new Llama4PromptSegment(Llama4SpecialTokens.ImageEnd, true)]));

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0xFF;
        return copy;
    }
}
