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
        var textOnly = TextTokens(prompt, markerTokens: 2 + tiles);

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
        Assert.Equal(TextTokens(prompt, markerTokens: 3 * 3) + (3 * TokensPerTile), result.Usage.PromptTokens);
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
        Assert.Equal(TextTokens(prompt, markerTokens: 3) + TokensPerTile, result.Usage.PromptTokens);
        Assert.InRange(result.Usage.OutputTokens, 1, 6);
    }

    [Theory]
    [InlineData(56, 56, "<|image_start|><|image|>[4]<|image_end|>")]
    [InlineData(112, 56, "<|image_start|>[4]<|tile_x_separator|>[4]<|tile_y_separator|><|image|>[4]<|image_end|>")]
    [InlineData(56, 168, "<|image_start|>[4]<|tile_y_separator|>[4]<|tile_y_separator|>[4]<|tile_y_separator|><|image|>[4]<|image_end|>")]
    [InlineData(168, 168, "<|image_start|>[4]<|tile_x_separator|>[4]<|tile_x_separator|>[4]<|tile_y_separator|>[4]<|tile_x_separator|>[4]<|tile_x_separator|>[4]<|tile_y_separator|>[4]<|tile_x_separator|>[4]<|tile_x_separator|>[4]<|tile_y_separator|><|image|>[4]<|image_end|>")]
    public void TokenizeForDecoding_ImageGrid_FollowsMetasLayout(int width, int height, string expected)
    {
        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "Look.") { Images = [new Llama4Image(TestImages.Png(width, height, seed: 21))] }]);

        using var decoding = _engine.TokenizeForDecoding(prompt);
        using var counting = _engine.TokenizeForDecoding(prompt, countOnly: true);

        Assert.Equal(
            "<|header_start|>user<|header_end|>\n\n" + expected + "Look.<|eot|><|header_start|>assistant<|header_end|>\n\n",
            Render(decoding.Tokens));
        Assert.Equal(decoding.Tokens, counting.Tokens);
    }

    [Fact]
    public async Task GenerateAsync_TextImageTextImage_KeepsTheOrderAndCountsBothImages()
    {
        var first = new Llama4Image(TestImages.Png(56, 56, seed: 31));
        var second = new Llama4Image(TestImages.Png(112, 56, seed: 32));
        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "First: Second: ") { Images = [first, second], ImagePositions = [7, 15] }]);

        using var tokenized = _engine.TokenizeForDecoding(prompt);
        var result = await GenerationResult.CollectAsync(_engine, Request(prompt), TestContext.Current.CancellationToken);

        Assert.Equal(
            "<|header_start|>user<|header_end|>\n\nFirst: <|image_start|><|image|>[4]<|image_end|>"
            + "Second: <|image_start|>[4]<|tile_x_separator|>[4]<|tile_y_separator|><|image|>[4]<|image_end|>"
            + "<|eot|><|header_start|>assistant<|header_end|>\n\n",
            Render(tokenized.Tokens));
        Assert.Equal(4 * TokensPerTile, result.Usage.ImageTokens);
        Assert.Equal(tokenized.Tokens.Length, result.Usage.PromptTokens);
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

        // The markers before a one-tile image's tile (<|image_start|><|image|>) are the same for any image.
        Assert.Equal(ImageStartIndex(second) + 2, result.Usage.CachedPromptTokens);
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
    public async Task GenerateAsync_ImageBeyondTheContext_ThrowsOverflowCountingImageTokens()
    {
        var image = new Llama4Image(TestImages.Png(300, 300, seed: 11));
        var prompt = ImagePrompt("Big.", image);
        var size = _engine.CountTokens(prompt);

        var error = Assert.Throws<Llama4ContextOverflowException>(() => _engine.GenerateAsync(Request(prompt) with { MaxOutputTokens = _engine.SequenceContextSize - size + 1 }, TestContext.Current.CancellationToken));

        Assert.Equal(size, error.PromptTokens);
        Assert.Equal(TextTokens(prompt, markerTokens: 2 + 10) + (10 * TokensPerTile), size);
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

    // The prompt's text tokens plus the marker tokens of its images' layouts: an image of n tiles has 2 + n markers
    // (one tile: <|image_start|><|image|>..<|image_end|>; a grid of g tiles and the overview: <|image_start|>, a
    // separator after each grid tile, <|image|>, <|image_end|>).
    private int TextTokens(Llama4Prompt prompt, int markerTokens) =>
        prompt.Segments.Where(s => s.Image is null).Sum(s => s.IsSpecialToken ? 1 : _engine.CountTokens(s.Text)) + markerTokens;

    private int ImageStartIndex(Llama4Prompt prompt) => _engine.CountTokens(new Llama4Prompt([.. prompt.Segments.TakeWhile(s => s.Image is null)]));

    private int ImageEndIndex(Llama4Prompt prompt) => _engine.CountTokens(new Llama4Prompt([.. prompt.Segments.TakeWhile(s => s.Image is null), prompt.Segments.First(s => s.Image is not null)]));

    // The ledger after BOS as text: special tokens as their text, other vocabulary tokens detokenized, each tile's run
    // of image positions as [n]. (Special tokens are looked up by id: LLamaSharp's decoder renders pieces longer than
    // 16 bytes, such as <|tile_x_separator|>, as nothing.)
    private string Render(int[] tokens)
    {
        string[] specials =
        [
            Llama4SpecialTokens.HeaderStart, Llama4SpecialTokens.HeaderEnd, Llama4SpecialTokens.EndOfTurn, Llama4SpecialTokens.ImageStart,
            Llama4SpecialTokens.ImageEnd, Llama4SpecialTokens.Image, Llama4SpecialTokens.TileXSeparator, Llama4SpecialTokens.TileYSeparator,
        ];
        var names = specials.ToDictionary(SpecialId);
        var text = new System.Text.StringBuilder();
        var start = 1;
        while (start < tokens.Length)
        {
            if (names.TryGetValue(tokens[start], out var name))
            {
                text.Append(name);
                start++;
                continue;
            }

            var image = tokens[start] < 0;
            var end = start;
            while (end < tokens.Length && (tokens[end] < 0) == image && !names.ContainsKey(tokens[end]))
            {
                end++;
            }

            text.Append(image ? $"[{end - start}]" : _engine.Detokenize(tokens[start..end]));
            start = end;
        }

        return text.ToString();
    }

    private int SpecialId(string special)
    {
        using var tokenized = _engine.TokenizeForDecoding(new Llama4Prompt([new Llama4PromptSegment(special, true)]));
        return Assert.Single(tokenized.Tokens);
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0xFF;
        return copy;
    }
}
