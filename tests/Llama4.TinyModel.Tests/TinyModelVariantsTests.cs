using System.Text;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;
using Llama4.Core;

namespace Llama4.TinyModel.Tests;

/// <summary>Other option combinations still produce files that validate, load and decode.</summary>
public sealed class TinyModelVariantsTests
{
    public static TheoryData<string> Variants => new() { "f32", "all-moe", "eight-layers", "top2", "mha" };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task GetOrCreate_Variant_ValidatesLoadsAndDecodes(string variant)
    {
        TinyModelOptions options = variant switch
        {
            "f32" => TinyModelOptions.Default with { TensorType = TinyModelTensorType.F32 },
            "all-moe" => TinyModelOptions.Default with { MoeLayerStep = 1 },
            "eight-layers" => TinyModelOptions.Default with { LayerCount = 8, EmbeddingLength = 64, HeadCount = 2, KvHeadCount = 1, ContextLength = 4096 },
            "top2" => TinyModelOptions.Default with { ExpertCount = 8, ExpertUsedCount = 2, MergeCount = 100 },
            "mha" => TinyModelOptions.Default with { KvHeadCount = 4, WeightStandardDeviation = 0.2f, Seed = 7 },
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
        string path = TinyModelCache.GetOrCreate(options);

        Llama4ModelInfo info = Llama4ModelValidator.Validate(path);
        using LLamaWeights weights = LLamaWeights.LoadFromFile(new ModelParams(path) { ContextSize = 256, GpuLayerCount = 0 });
        using var executor = new BatchedExecutor(weights, new ModelParams(path) { ContextSize = 256, GpuLayerCount = 0 });
        using Conversation conversation = executor.Create();
        conversation.Prompt(weights.Tokenize("<|begin_of_text|>Hello there", add_bos: false, special: true, Encoding.UTF8));
        var sampler = new GreedySamplingPipeline();
        var generated = new List<LLamaToken>();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(DecodeResult.Ok, await executor.Infer(TestContext.Current.CancellationToken));
            LLamaToken token = sampler.Sample(executor.Context.NativeHandle, conversation.GetSampleIndex());
            generated.Add(token);
            conversation.Prompt(token);
        }

        Assert.Equal(options.ContextLength, info.TrainingContextLength);
        Assert.Equal(options.ContextLength, weights.ContextSize);
        Assert.Equal(options.LayerCount, info.BlockCount);
        Assert.Equal(4, generated.Count);
        Assert.All(generated, t => Assert.InRange((int)t, 0, weights.Vocab.Count - 1));
    }
}
