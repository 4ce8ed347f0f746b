using Llama4.Core.Inference.Sampling;

namespace Llama4.Core.Tests.Inference.Sampling;

public sealed class SamplingSettingsTests
{
    private static readonly Llama4SamplingOptions Valid = new()
    {
        Temperature = 0.6f,
        TopP = 0.9f,
        TopK = 0,
        MinP = 0f,
        RepeatPenalty = 1f,
        FrequencyPenalty = 0f,
        PresencePenalty = 0f,
        PenaltyLastTokens = 64,
    };

    public static TheoryData<string> Invalid =>
    [
        nameof(Llama4SamplingOptions.Temperature), nameof(Llama4SamplingOptions.TopP), nameof(Llama4SamplingOptions.TopK), nameof(Llama4SamplingOptions.MinP),
        nameof(Llama4SamplingOptions.RepeatPenalty), nameof(Llama4SamplingOptions.FrequencyPenalty), nameof(Llama4SamplingOptions.PresencePenalty), nameof(Llama4SamplingOptions.PenaltyLastTokens),
    ];

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_ValueOutOfRange_ThrowsNamingIt(string name)
    {
        var options = name switch
        {
            nameof(Llama4SamplingOptions.Temperature) => Valid with { Temperature = float.NaN },
            nameof(Llama4SamplingOptions.TopP) => Valid with { TopP = 1.5f },
            nameof(Llama4SamplingOptions.TopK) => Valid with { TopK = -1 },
            nameof(Llama4SamplingOptions.MinP) => Valid with { MinP = -0.1f },
            nameof(Llama4SamplingOptions.RepeatPenalty) => Valid with { RepeatPenalty = 0f },
            nameof(Llama4SamplingOptions.FrequencyPenalty) => Valid with { FrequencyPenalty = 2.5f },
            nameof(Llama4SamplingOptions.PresencePenalty) => Valid with { PresencePenalty = -3f },
            _ => Valid with { PenaltyLastTokens = -1 },
        };

        var ex = Assert.Throws<ArgumentException>(() => SamplingSettings.Validate(options));

        Assert.Contains(name + " is", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SeedSet_UsesIt_Unset_DrawsAFreshOne()
    {
        Assert.Equal(42ul, SamplingSettings.Create(Valid with { Seed = 42 }).Seed);
        Assert.Equal(unchecked((ulong)-1L), SamplingSettings.Create(Valid with { Seed = -1 }).Seed);
        Assert.NotEqual(SamplingSettings.Create(Valid).Seed, SamplingSettings.Create(Valid).Seed);
    }

    [Fact]
    public void Create_NeutralPenalties_AreInactive()
    {
        Assert.False(SamplingSettings.Create(Valid).PenaltiesActive);
        Assert.True(SamplingSettings.Create(Valid with { PresencePenalty = 0.1f }).PenaltiesActive);
        Assert.False(SamplingSettings.Create(Valid with { PresencePenalty = 0.1f, PenaltyLastTokens = 0 }).PenaltiesActive);
    }
}
