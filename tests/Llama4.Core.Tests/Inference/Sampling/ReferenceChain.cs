using LLama.Native;
using LLama.Sampling;
using Llama4.Core.Inference.Sampling;

namespace Llama4.Core.Tests.Inference.Sampling;

/// <summary>LLamaSharp's <see cref="DefaultSamplingPipeline"/> for a chain, and draws from it on any logits.</summary>
internal static class ReferenceChain
{
    public static DefaultSamplingPipeline Create(SamplingSettings settings, uint seed, Grammar? grammar = null) => new()
    {
        Temperature = settings.Temperature,
        TopK = settings.TopK,
        TopP = settings.TopP,
        MinP = settings.MinP,
        RepeatPenalty = settings.RepeatPenalty,
        FrequencyPenalty = settings.FrequencyPenalty,
        PresencePenalty = settings.PresencePenalty,
        PenaltyCount = settings.PenaltyLastTokens,
        Seed = seed,
        Grammar = grammar,
        GrammarOptimization = DefaultSamplingPipeline.GrammarOptimizationMode.Basic,
    };

    /// <summary>Runs the pipeline's chain on <paramref name="logits"/>, after accepting <paramref name="history"/> into its penalties.</summary>
    public static int Draw(DefaultSamplingPipeline pipeline, SafeLLamaContextHandle context, ReadOnlySpan<float> logits, ReadOnlySpan<int> history)
    {
        var buffer = new LLamaTokenData[logits.Length];
        if (!history.IsEmpty)
        {
            // The chain exists only after a first use: create it on one candidate, then feed the history.
            Apply(pipeline, context, LLamaTokenDataArray.Create([0f], new LLamaTokenData[1]));
            foreach (var token in history)
            {
                pipeline.Accept(token);
            }
        }

        return Apply(pipeline, context, LLamaTokenDataArray.Create(logits, buffer));
    }

    private static int Apply(DefaultSamplingPipeline pipeline, SafeLLamaContextHandle context, LLamaTokenDataArray data)
    {
        using var pin = LLamaTokenDataArrayNative.Create(data, out var native);
        pipeline.Apply(context, ref native);
        return (int)native.Data[checked((int)native.Selected)].ID;
    }
}
