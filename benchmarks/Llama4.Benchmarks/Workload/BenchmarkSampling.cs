using Llama4.Core;
using LLama.Common;
using LLama.Sampling;
using Microsoft.Extensions.AI;

namespace Llama4.Benchmarks.Workload;

/// <summary>
/// One set of sampling values given to every contender, so that all of them do the same sampling work: Meta's
/// instruct defaults (temperature 0.6, top-p 0.9, no top-k, no min-p, no penalties) written out in full.
/// </summary>
internal sealed record BenchmarkSampling
{
    public float Temperature { get; init; } = 0.6f;

    public float TopP { get; init; } = 0.9f;

    public int TopK { get; init; }

    public float MinP { get; init; }

    public float RepeatPenalty { get; init; } = 1f;

    public float FrequencyPenalty { get; init; }

    public float PresencePenalty { get; init; }

    public int PenaltyLastTokens { get; init; } = 64;

    /// <summary>The engine's own seed mapping, so that the raw loop samples exactly what the engine samples.</summary>
    public static uint ToNativeSeed(long seed) => unchecked((uint)(seed ^ (seed >> 32)));

    public Llama4SamplingOptions ToLlama4(long seed) => new()
    {
        Temperature = Temperature,
        TopP = TopP,
        TopK = TopK,
        MinP = MinP,
        RepeatPenalty = RepeatPenalty,
        FrequencyPenalty = FrequencyPenalty,
        PresencePenalty = PresencePenalty,
        PenaltyLastTokens = PenaltyLastTokens,
        Seed = seed,
    };

    /// <summary>
    /// The pipeline the engine built for <see cref="ToLlama4"/> before it had its own sampler (LLamaSharp's, with the
    /// grammar when one is given and GrammarOptimization Extended), built by hand for the raw loop.
    /// </summary>
    public DefaultSamplingPipeline CreatePipeline(long seed, Llama4Grammar? grammar = null) => new()
    {
        Grammar = grammar is null ? null : new Grammar(grammar.Gbnf, grammar.Root),
        GrammarOptimization = DefaultSamplingPipeline.GrammarOptimizationMode.Extended,
        Temperature = Temperature,
        TopP = TopP,
        TopK = TopK,
        MinP = MinP,
        RepeatPenalty = RepeatPenalty,
        FrequencyPenalty = FrequencyPenalty,
        PresencePenalty = PresencePenalty,
        PenaltyCount = PenaltyLastTokens,
        Seed = ToNativeSeed(seed),
    };

    /// <summary>Options for <c>Llama4ChatClient</c>: every value set through its raw representation.</summary>
    public ChatOptions ToLlama4ChatOptions(int maxOutputTokens, long seed) => new()
    {
        MaxOutputTokens = maxOutputTokens,
        Seed = seed,
        RawRepresentationFactory = _ => ToLlama4(seed),
    };

    /// <summary>
    /// Options for LLamaSharp's <c>AsChatClient()</c>. It reads temperature, top-p, top-k, penalties and seed from
    /// <see cref="ChatOptions"/>, and min-p / repeat penalty / penalty window only from a raw
    /// <see cref="InferenceParams"/>; without them it would use its own defaults (min-p 0.1). The factory returns a
    /// fresh object each call because the client appends its anti-prompts to it.
    /// </summary>
    public ChatOptions ToLLamaSharpChatOptions(int maxOutputTokens, long seed) => new()
    {
        MaxOutputTokens = maxOutputTokens,
        Seed = seed,
        Temperature = Temperature,
        TopP = TopP,
        TopK = TopK,
        FrequencyPenalty = FrequencyPenalty,
        PresencePenalty = PresencePenalty,
        RawRepresentationFactory = _ => new InferenceParams
        {
            SamplingPipeline = new DefaultSamplingPipeline
            {
                MinP = MinP,
                RepeatPenalty = RepeatPenalty,
                PenaltyCount = PenaltyLastTokens,
            },
        },
    };
}
