using Llama4.Core.Inference.Sampling;
using LLama.Sampling;

namespace Llama4.Core.Tests.Inference.Sampling;

/// <summary>
/// Grammar-constrained sampling on the tiny model's vocabulary. <see cref="ConstrainedSampler"/> must draw exactly from
/// "grammar filter, then the chain" (checked against that distribution computed by brute force over the whole
/// vocabulary). <see cref="SequenceSampler"/> first draws freely and keeps the token if the grammar allows it, so its
/// distribution is the documented mixture P(t) = P_chain(t)·[t allowed] + P_chain(rejected)·Q(t), which equals Q when
/// nothing truncates the chain, and equals what LLamaSharp's <c>DefaultSamplingPipeline</c> (Basic) draws.
/// </summary>
public sealed class ConstrainedSamplerTests(TinyModelContextFixture model) : IClassFixture<TinyModelContextFixture>
{
    private const int Draws = 20_000;

    // Words of lowercase letters starting with a-m: many tokens qualify, most of the vocabulary does not.
    private static readonly Llama4Grammar Words = new("root ::= [a-m] [a-z]*");

    public static TheoryData<string> Chains => ["meta", "top-k 40", "top-p 0.5 and top-k 300", "min-p 0.05", "min-p 0.2 and top-p 0.95", "no truncation"];

    [Theory]
    [MemberData(nameof(Chains))]
    public void Sample_SyntheticLogits_IsGrammarFilterThenChain(string chain)
    {
        var logits = SyntheticLogits.Create(model.VocabularySize, seed: 21, scale: 8f, falloff: 0.01f);
        var settings = ChainSamplerTests.SettingsFor(chain) with { Temperature = 0.8f };
        using var grammar = new GrammarConstraint(model.Weights.NativeHandle, Words);
        var workspace = new SamplingWorkspace(logits.Length);
        var prefixes = TokenPrefixes.Build(model.Weights.NativeHandle, logits.Length);
        var random = new SamplingRandom(99);

        var drawn = FrequencyTest.Count(Enumerable.Range(0, Draws).Select(_ => ConstrainedSampler.Sample(logits, settings, random.NextDouble(), grammar, prefixes, workspace)));

        FrequencyTest.AssertSame(FrequencyTest.GoodnessOfFit(drawn, FilterThenChain(logits, settings, AllowedTokens(grammar, workspace, logits.Length)), Draws), chain);
    }

    [Fact]
    public void Sample_GrammarAdvancingWithOneWorkspace_DrawsOnlyAllowedTokens()
    {
        // Verdicts hold for one grammar state: a workspace reused across states must not carry them over.
        var logits = SyntheticLogits.Create(model.VocabularySize, seed: 31);
        using var grammar = new GrammarConstraint(model.Weights.NativeHandle, TokenPrefixesTests.GrammarFor("json schema"));
        var workspace = new SamplingWorkspace(logits.Length);
        var prefixes = TokenPrefixes.Build(model.Weights.NativeHandle, logits.Length);
        var random = new SamplingRandom(3);

        for (var step = 0; step < 30; step++)
        {
            var allowed = AllowedTokens(grammar, workspace, logits.Length);
            var token = ConstrainedSampler.Sample(logits, ChainSamplerTests.SettingsFor("meta"), random.NextDouble(), grammar, prefixes, workspace);

            Assert.Contains(token, allowed);
            if (((LLama.Native.LLamaToken)token).IsEndOfGeneration(model.Weights.Vocab))
            {
                break;
            }

            grammar.Accept(token);
        }
    }

    [Fact]
    public void Sample_Greedy_IsTheBestAllowedToken()
    {
        var logits = SyntheticLogits.Create(model.VocabularySize, seed: 23);
        using var grammar = new GrammarConstraint(model.Weights.NativeHandle, Words);
        var workspace = new SamplingWorkspace(logits.Length);
        var allowed = AllowedTokens(grammar, workspace, logits.Length);

        var token = ConstrainedSampler.Sample(logits, ChainSamplerTests.SettingsFor("meta") with { Temperature = 0 }, 0.5, grammar, TokenPrefixes.Build(model.Weights.NativeHandle, logits.Length), workspace);

        Assert.Equal(allowed.MaxBy(t => logits[t]), token);
    }

    [Theory]
    [InlineData("meta")]
    [InlineData("no truncation")]
    public void Sample_SequenceSampler_IsTheDocumentedMixture(string chain)
    {
        var logits = SyntheticLogits.Create(model.VocabularySize, seed: 21, scale: 8f, falloff: 0.01f);
        var settings = ChainSamplerTests.SettingsFor(chain) with { Temperature = 0.8f };
        var workspace = new SamplingWorkspace(logits.Length);
        var prefixes = TokenPrefixes.Build(model.Weights.NativeHandle, logits.Length);
        HashSet<int> allowed;
        using (var probe = new GrammarConstraint(model.Weights.NativeHandle, Words))
        {
            allowed = AllowedTokens(probe, workspace, logits.Length);
        }

        var tokens = new int[Draws];
        for (var i = 0; i < Draws; i++)
        {
            // A fresh grammar per draw: every draw starts from the grammar's first state.
            var sampler = new SequenceSampler(settings with { Seed = (ulong)i }, new GrammarConstraint(model.Weights.NativeHandle, Words));
            tokens[i] = sampler.Sample(logits, workspace, () => prefixes);
            sampler.Dispose();
        }

        var free = FilterThenChain(logits, settings, null);
        var constrained = FilterThenChain(logits, settings, allowed);
        var rejected = free.Where(p => !allowed.Contains(p.Key)).Sum(p => p.Value);
        var mixture = allowed.ToDictionary(t => t, t => free.GetValueOrDefault(t) + (rejected * constrained.GetValueOrDefault(t)));
        FrequencyTest.AssertSame(FrequencyTest.GoodnessOfFit(FrequencyTest.Count(tokens), mixture, Draws), chain);
        if (chain == "no truncation")
        {
            // Without truncation the mixture is exactly "filter, then sample".
            FrequencyTest.AssertSame(FrequencyTest.GoodnessOfFit(FrequencyTest.Count(tokens), constrained, Draws), "no truncation against Q");
        }
    }

    [Fact]
    public void Sample_ModelLogits_MatchesLLamaSharpDefaultSamplingPipelineWithTheGrammar()
    {
        const int draws = 8_000;
        var settings = ChainSamplerTests.SettingsFor("meta");
        var logits = model.LogitsOf(0).ToArray();
        var workspace = new SamplingWorkspace(logits.Length);
        var prefixes = TokenPrefixes.Build(model.Weights.NativeHandle, logits.Length);
        var fast = new int[draws];
        var reference = new int[draws];
        for (var i = 0; i < draws; i++)
        {
            using var sampler = new SequenceSampler(settings with { Seed = (ulong)i }, new GrammarConstraint(model.Weights.NativeHandle, Words));
            fast[i] = sampler.Sample(logits, workspace, () => prefixes);
            using var pipeline = ReferenceChain.Create(settings, (uint)(i + 1), new Grammar(Words.Gbnf, Words.Root));
            reference[i] = (int)pipeline.Sample(model.Context, model.SampleIndexOf(0));
        }

        FrequencyTest.AssertSame(FrequencyTest.TwoSample(FrequencyTest.Count(fast), FrequencyTest.Count(reference)), "Meta's defaults with a grammar");
    }

    /// <summary>Every token the grammar allows now, by asking llama.cpp about the whole vocabulary at once.</summary>
    internal static HashSet<int> AllowedTokens(GrammarConstraint grammar, SamplingWorkspace workspace, int vocabulary)
    {
        var ids = Enumerable.Range(0, vocabulary).ToArray();
        var count = grammar.KeepAllowed(ids, workspace);
        return [.. ids.Take(count)];
    }

    /// <summary>The chain's distribution by brute force: drop what is not allowed, sort, cut, soften.</summary>
    internal static Dictionary<int, double> FilterThenChain(float[] logits, SamplingSettings settings, IReadOnlySet<int>? allowed)
    {
        var sorted = Enumerable.Range(0, logits.Length)
            .Where(t => allowed is null || allowed.Contains(t))
            .OrderByDescending(t => logits[t]).ThenBy(t => t)
            .ToList();
        if (settings.TopK > 0 && settings.TopK < sorted.Count)
        {
            sorted = sorted.Take(settings.TopK).ToList();
        }

        var max = logits[sorted[0]];
        if (settings.TopP < 1)
        {
            var z = sorted.Sum(t => Math.Exp(logits[t] - max));
            var cumulative = 0.0;
            var keep = sorted.Count;
            for (var i = 0; i < sorted.Count; i++)
            {
                cumulative += Math.Exp(logits[sorted[i]] - max);
                if (cumulative >= settings.TopP * z)
                {
                    keep = i + 1;
                    break;
                }
            }

            sorted = sorted.Take(keep).ToList();
        }

        if (settings.MinP > 0)
        {
            var threshold = max + MathF.Log(settings.MinP);
            sorted = sorted.Where(t => logits[t] >= threshold).ToList();
        }

        var weights = sorted.ToDictionary(t => t, t => Math.Exp((logits[t] - max) / settings.Temperature));
        var total = weights.Values.Sum();
        return weights.ToDictionary(p => p.Key, p => p.Value / total);
    }
}
