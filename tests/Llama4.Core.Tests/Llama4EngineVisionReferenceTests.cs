using LLama;
using LLama.Common;
using LLama.Native;
using Llama4.Core;
using Llama4.Testing;

namespace Llama4.Core.Tests;

/// <summary>
/// The engine's image prompt against the intended prompt decoded by hand with LLamaSharp and mtmd, in Meta's layout
/// (text, <c>&lt;|image_start|&gt;</c>, the grid's tiles with their separators, <c>&lt;|image|&gt;</c> and the overview
/// tile, <c>&lt;|image_end|&gt;</c>, text): the first step's logits must agree, and differ from mtmd's own layout
/// (no separators, no <c>&lt;|image|&gt;</c>) and from the prompt that LLamaSharp's own multimodal tokenizer builds
/// (with its stray NUL token).
/// </summary>
public sealed class Llama4EngineVisionReferenceTests(VisionEngineFixture fixture) : IClassFixture<VisionEngineFixture>
{
    // Logits of the same prompt differ by up to ~1e-3 between contexts of different shapes (8.7e-4 measured here); one
    // position of gap before the image moves them by ~0.08, another image by ~0.3, a stray NUL token by ~0.4.
    private const float Tolerance = 1e-2f;

    [Fact]
    public async Task GenerateAsync_ImagePrompt_FirstLogitsMatchTheHandDecodedPrompt()
    {
        var png = TestImages.Png(112, 56, seed: 314);
        var prompt = Llama4PromptFormatter.Format([new Llama4Message(Llama4Role.User, "What is it?") { Images = [new Llama4Image(png)] }]);
        var request = new Llama4GenerationRequest(prompt)
        {
            MaxOutputTokens = 1,
            Sampling = new Llama4SamplingOptions { TopK = 1, Seed = 1 },
            CaptureFirstLogits = true,
        };

        var (_, engineLogits) = await Chat.RunAsync(fixture.Engine, request, TestContext.Current.CancellationToken);

        using var weights = LLamaWeights.LoadFromFile(new ModelParams(fixture.ModelPath) { ContextSize = 4096, GpuLayerCount = 0 });
        var parameters = MtmdContextParams.Default();
        parameters.UseGpu = false;
        parameters.PrintTimings = false;
        parameters.NThreads = 2;
        using var projector = MtmdWeights.LoadFromFile(fixture.ProjectorPath, weights, parameters);
        LLamaToken[] Tokens(string text) => weights.Tokenize(text, false, true, System.Text.Encoding.UTF8);
        var before = Tokens("<|begin_of_text|><|header_start|>user<|header_end|>\n\n<|image_start|>");
        var after = Tokens("<|image_end|>What is it?<|eot|><|header_start|>assistant<|header_end|>\n\n");

        // 112x56 is a 2x1 grid plus the overview: tile, x separator, tile, y separator, <|image|>, overview.
        LLamaToken[][] metaLayout = [Tokens("<|tile_x_separator|>"), Tokens("<|tile_y_separator|><|image|>"), []];
        LLamaToken[][] mtmdLayout = [[], [], []];
        var intended = HandDecode(weights, projector, png, before, metaLayout, after);
        var withoutSeparators = HandDecode(weights, projector, png, before, mtmdLayout, after);
        var withStrayNul = HandDecode(weights, projector, png, before, metaLayout, [.. after, (LLamaToken)0]);
        var shiftedByOne = HandDecode(weights, projector, png, [.. before, (LLamaToken)10], metaLayout, after);
        var otherImage = HandDecode(weights, projector, TestImages.Png(112, 56, seed: 315), before, metaLayout, after);

        Assert.True(Chat.MaxDifference(engineLogits, intended) < Tolerance, $"max difference {Chat.MaxDifference(engineLogits, intended)}");
        Assert.True(Chat.MaxDifference(engineLogits, withoutSeparators) > 10 * Tolerance);
        Assert.True(Chat.MaxDifference(engineLogits, withStrayNul) > 10 * Tolerance);
        Assert.True(Chat.MaxDifference(engineLogits, otherImage) > 10 * Tolerance);
        Assert.True(Chat.MaxDifference(engineLogits, shiftedByOne) > 3 * Tolerance);
    }

    private float[] HandDecode(LLamaWeights weights, MtmdWeights projector, byte[] png, LLamaToken[] before, LLamaToken[][] afterTile, LLamaToken[] after)
    {
        using var context = weights.CreateContext(new ModelParams(fixture.ModelPath) { ContextSize = 4096, GpuLayerCount = 0, Threads = 2, BatchSize = 512 });
        var batch = new LLamaBatch();
        var position = 0;
        foreach (var token in before)
        {
            batch.Add(token, position++, LLamaSeqId.Zero, false);
        }

        Assert.Equal(DecodeResult.Ok, context.Decode(batch));
        using (var bitmap = SafeMtmdEmbed.FromMediaBuffer(projector.NativeHandle, png)!)
        {
            Assert.Equal(0, projector.NativeHandle.Tokenize("<__media__>", false, true, [bitmap], out var chunks));
            using (chunks)
            {
                var tiles = chunks!.Enumerate().Where(c => c.Type == SafeMtmdInputChunk.SafeMtmdInputChunkType.Image).ToList();
                Assert.Equal(afterTile.Length, tiles.Count);
                for (var tile = 0; tile < tiles.Count; tile++)
                {
                    Assert.Equal(0, projector.NativeHandle.EvaluateChunk(tiles[tile].NativePtr, context.NativeHandle, ref position, 0, 512, false));
                    if (afterTile[tile].Length > 0)
                    {
                        batch.Clear();
                        foreach (var token in afterTile[tile])
                        {
                            batch.Add(token, position++, LLamaSeqId.Zero, false);
                        }

                        Assert.Equal(DecodeResult.Ok, context.Decode(batch));
                    }
                }
            }
        }

        batch.Clear();
        for (var i = 0; i < after.Length; i++)
        {
            batch.Add(after[i], position++, LLamaSeqId.Zero, i == after.Length - 1);
        }

        Assert.Equal(DecodeResult.Ok, context.Decode(batch));
        return context.NativeHandle.GetLogitsIth(batch.TokenCount - 1).ToArray();
    }
}
