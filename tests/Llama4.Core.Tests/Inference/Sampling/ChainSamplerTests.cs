using Llama4.Core.Inference.Sampling;

namespace Llama4.Core.Tests.Inference.Sampling;

/// <summary>
/// The fast sampler against LLamaSharp's <c>DefaultSamplingPipeline</c> (llama.cpp's chain) on the same logits: the
/// token frequencies of many seeded draws must agree (two-sample chi-square). Penalties are applied to a copy of the
/// logits by <see cref="PenaltyWindow"/>, exactly as <see cref="SequenceSampler"/> does before <see cref="ChainSampler"/>.
/// </summary>
public sealed class ChainSamplerTests(TinyModelContextFixture model) : IClassFixture<TinyModelContextFixture>
{
    private const int Draws = 10_000;

    private static readonly int[] History = [5, 17, 17, 42, 99, 5, 5, 1000, 2047, 17];

    public static TheoryData<string> Chains =>
    [
        "meta", "top-k 40", "top-k 1000", "top-p 0.5 and top-k 300", "min-p 0.05", "min-p 0.2 and top-p 0.95", "temperature 1.5", "penalties", "no truncation",
    ];

    [Theory]
    [MemberData(nameof(Chains))]
    public void Sample_SyntheticLogits_MatchesLLamaSharpDefaultSamplingPipeline(string chain)
    {
        var logits = SyntheticLogits.Create(4096, seed: 7);
        var settings = SettingsFor(chain);

        var fast = FastDraws(logits, settings, Draws, seedOffset: 0);
        var reference = ReferenceDraws(logits, settings, Draws);

        FrequencyTest.AssertSame(FrequencyTest.TwoSample(fast, reference), chain);
    }

    [Fact]
    public void Sample_RealVocabularySizedLogits_MatchesLLamaSharpDefaultSamplingPipeline()
    {
        // 202,048 synthetic logits (a trained model's shape): Meta's defaults and top-k 40 at the real vocabulary size.
        var logits = SyntheticLogits.Create(202_048, seed: 11, scale: 9f, falloff: 0.01f);
        foreach (var settings in new[] { SettingsFor("meta"), SettingsFor("top-k 40") })
        {
            var fast = FastDraws(logits, settings, 2_000, seedOffset: 0);
            var reference = ReferenceDraws(logits, settings, 2_000);

            FrequencyTest.AssertSame(FrequencyTest.TwoSample(fast, reference), $"top-k {settings.TopK}, top-p {settings.TopP}");
        }
    }

    [Fact]
    public void Sample_OtherTemperature_IsDetectedByTheFrequencyTest()
    {
        var logits = SyntheticLogits.Create(4096, seed: 7);

        var fast = FastDraws(logits, SettingsFor("meta"), Draws, seedOffset: 0);
        var reference = ReferenceDraws(logits, SettingsFor("meta") with { Temperature = 0.7f }, Draws);

        FrequencyTest.AssertDifferent(FrequencyTest.TwoSample(fast, reference), "temperature 0.6 against 0.7");
    }

    [Fact]
    public void Sample_SameSeed_DrawsTheSameTokens()
    {
        var logits = SyntheticLogits.Create(4096, seed: 3);
        var settings = SettingsFor("meta") with { Seed = 1234 };

        var first = Sequence(logits, settings, 200);
        var second = Sequence(logits, settings, 200);
        var other = Sequence(logits, settings with { Seed = 1235 }, 200);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Sample_Greedy_IsTheLargestLogitWithTheLowestIdOnTies()
    {
        var logits = SyntheticLogits.Create(4096, seed: 5);
        var best = Array.IndexOf(logits, logits.Max());
        var workspace = new SamplingWorkspace(logits.Length);

        Assert.Equal(best, ChainSampler.Sample(logits, SettingsFor("meta") with { Temperature = 0 }, 0.99, workspace));
        logits[4000] = logits[best];
        Assert.Equal(Math.Min(best, 4000), ChainSampler.Sample(logits, SettingsFor("meta") with { Temperature = 0 }, 0.5, workspace));
    }

    [Fact]
    public void Sample_TiesAtTheCut_KeepTheLowerIds()
    {
        // Ten tokens share the 5th largest logit; top-k 7 keeps the first three of them (by id).
        var logits = Enumerable.Repeat(-5f, 1000).ToArray();
        logits[900] = 4f;
        logits[800] = 3f;
        logits[700] = 2f;
        logits[600] = 1.5f;
        foreach (var id in new[] { 950, 10, 500, 20, 990, 30, 40, 50, 60, 70 })
        {
            logits[id] = 1f;
        }

        var settings = SettingsFor("no truncation") with { TopK = 7, Temperature = 1f };
        var drawn = FastDraws(logits, settings, 20_000, seedOffset: 0);

        Assert.Equal([10, 20, 30, 600, 700, 800, 900], drawn.Keys.Order());
    }

    [Fact]
    public void Sample_LargeTopKWithTies_KeepsExactlyKTokens()
    {
        var logits = Enumerable.Repeat(0f, 5000).ToArray();
        var settings = SettingsFor("no truncation") with { TopK = 1000, Temperature = 1f };

        var drawn = FastDraws(logits, settings, 20_000, seedOffset: 0);

        Assert.Equal(999, drawn.Keys.Max());
        Assert.InRange(drawn.Count, 990, 1000);
    }

    internal static SamplingSettings SettingsFor(string chain)
    {
        var meta = new SamplingSettings { Temperature = 0.6f, TopP = 0.9f, TopK = 0, MinP = 0f, RepeatPenalty = 1f, FrequencyPenalty = 0f, PresencePenalty = 0f, PenaltyLastTokens = 64 };
        return chain switch
        {
            "meta" => meta,
            "top-k 40" => meta with { TopK = 40 },
            "top-k 1000" => meta with { TopK = 1000 },
            "top-p 0.5 and top-k 300" => meta with { TopK = 300, TopP = 0.5f },
            "min-p 0.05" => meta with { TopP = 1f, MinP = 0.05f },
            "min-p 0.2 and top-p 0.95" => meta with { TopP = 0.95f, MinP = 0.2f },
            "temperature 1.5" => meta with { Temperature = 1.5f },
            "penalties" => meta with { RepeatPenalty = 1.3f, FrequencyPenalty = 0.4f, PresencePenalty = 0.3f, PenaltyLastTokens = 8 },
            "no truncation" => meta with { TopP = 1f },
            _ => throw new ArgumentOutOfRangeException(nameof(chain), chain, null),
        };
    }

    private static Dictionary<int, int> FastDraws(float[] logits, SamplingSettings settings, int draws, int seedOffset)
    {
        var workspace = new SamplingWorkspace(logits.Length);
        var window = new PenaltyWindow(settings.PenaltiesActive ? settings.PenaltyLastTokens : 0);
        foreach (var token in History)
        {
            window.Accept(token);
        }

        var penalized = logits.ToArray();
        window.Apply(penalized, settings.RepeatPenalty, settings.FrequencyPenalty, settings.PresencePenalty);
        var tokens = new int[draws];
        for (var i = 0; i < draws; i++)
        {
            var random = new SamplingRandom((ulong)(i + seedOffset));
            tokens[i] = ChainSampler.Sample(penalized, settings, random.NextDouble(), workspace);
        }

        return FrequencyTest.Count(tokens);
    }

    private Dictionary<int, int> ReferenceDraws(float[] logits, SamplingSettings settings, int draws)
    {
        var tokens = new int[draws];
        for (var i = 0; i < draws; i++)
        {
            using var pipeline = ReferenceChain.Create(settings, (uint)(i + 1));
            tokens[i] = ReferenceChain.Draw(pipeline, model.Context, logits, settings.PenaltiesActive ? History : []);
        }

        return FrequencyTest.Count(tokens);
    }

    private static int[] Sequence(float[] logits, SamplingSettings settings, int count)
    {
        var workspace = new SamplingWorkspace(logits.Length);
        var sampler = new SequenceSampler(settings, grammar: null);
        return [.. Enumerable.Range(0, count).Select(_ => sampler.Sample(logits, workspace, () => throw new InvalidOperationException("no grammar")))];
    }
}
