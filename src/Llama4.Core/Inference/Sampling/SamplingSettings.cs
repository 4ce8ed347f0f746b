using System.Security.Cryptography;

namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// One request's sampling chain with every value resolved and checked. The chain is llama.cpp's, in the order LLamaSharp's
/// <c>DefaultSamplingPipeline</c> builds it: penalties over the last <see cref="PenaltyLastTokens"/> sampled tokens,
/// top-k, top-p, min-p, temperature, then a draw from the softmax of what is left (or, at temperature 0 or below, the
/// most likely token).
/// </summary>
internal sealed record SamplingSettings
{
    /// <summary>The largest penalty window accepted: 1,048,576 tokens (the window never holds more than the tokens sampled).</summary>
    public const int MaxPenaltyLastTokens = 1 << 20;

    public float Temperature { get; init; }

    public int TopK { get; init; }

    public float TopP { get; init; }

    public float MinP { get; init; }

    public float RepeatPenalty { get; init; }

    public float FrequencyPenalty { get; init; }

    public float PresencePenalty { get; init; }

    public int PenaltyLastTokens { get; init; }

    public ulong Seed { get; init; }

    /// <summary>Whether the chain picks the most likely token (temperature 0 or below).</summary>
    public bool Greedy => Temperature <= 0;

    /// <summary>Whether the penalties change any logit.</summary>
    public bool PenaltiesActive => PenaltyLastTokens > 0 && (RepeatPenalty != 1f || FrequencyPenalty != 0f || PresencePenalty != 0f);

    /// <summary>Resolves merged options (every value set) into a chain; an unset seed draws a fresh random one.</summary>
    /// <param name="sampling">The request's options merged with the engine's and the model's defaults.</param>
    /// <returns>The chain.</returns>
    /// <exception cref="ArgumentException">A value is out of range (see <see cref="Validate"/>).</exception>
    public static SamplingSettings Create(Llama4SamplingOptions sampling)
    {
        Validate(sampling);
        return new SamplingSettings
        {
            Temperature = sampling.Temperature!.Value,
            TopK = sampling.TopK!.Value,
            TopP = sampling.TopP!.Value,
            MinP = sampling.MinP!.Value,
            RepeatPenalty = sampling.RepeatPenalty!.Value,
            FrequencyPenalty = sampling.FrequencyPenalty!.Value,
            PresencePenalty = sampling.PresencePenalty!.Value,
            PenaltyLastTokens = sampling.PenaltyLastTokens!.Value,
            Seed = sampling.Seed is { } seed ? unchecked((ulong)seed) : RandomSeed(),
        };
    }

    /// <summary>Checks merged options; the message names each bad value, its range and where unset values come from.</summary>
    /// <param name="sampling">The request's options merged with the engine's and the model's defaults.</param>
    /// <exception cref="ArgumentException">A value is missing or out of range.</exception>
    public static void Validate(Llama4SamplingOptions sampling)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        var errors = new List<string>();
        Check(sampling.Temperature, nameof(sampling.Temperature), t => t >= 0 && float.IsFinite(t), "a finite value of at least 0 (0 = greedy)");
        Check(sampling.TopP, nameof(sampling.TopP), p => p is >= 0 and <= 1, "from 0 to 1 (1 = off)");
        Check(sampling.MinP, nameof(sampling.MinP), p => p is >= 0 and <= 1, "from 0 to 1 (0 = off)");
        Check(sampling.RepeatPenalty, nameof(sampling.RepeatPenalty), r => r > 0 && float.IsFinite(r), "a finite value above 0 (1 = off)");
        Check(sampling.FrequencyPenalty, nameof(sampling.FrequencyPenalty), f => f is >= -2 and <= 2, "from -2 to 2 (0 = off)");
        Check(sampling.PresencePenalty, nameof(sampling.PresencePenalty), f => f is >= -2 and <= 2, "from -2 to 2 (0 = off)");
        if (sampling.TopK is not { } topK || topK < 0)
        {
            errors.Add($"TopK is {Show(sampling.TopK)}; it must be 0 (off) or a positive number of tokens.");
        }

        if (sampling.PenaltyLastTokens is not { } last || last < 0 || last > MaxPenaltyLastTokens)
        {
            errors.Add($"PenaltyLastTokens is {Show(sampling.PenaltyLastTokens)}; it must be from 0 (penalties off) to {MaxPenaltyLastTokens} tokens.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(
                "Invalid sampling options: " + string.Join(" ", errors) + " Unset values come from Llama4EngineOptions.DefaultSampling, then the model's general.sampling.* keys, then Meta's defaults.",
                nameof(sampling));
        }

        void Check(float? value, string name, Func<float, bool> valid, string range)
        {
            if (value is not { } v || float.IsNaN(v) || !valid(v))
            {
                errors.Add($"{name} is {Show(value)}; it must be {range}.");
            }
        }
    }

    private static string Show<T>(T? value)
        where T : struct, IFormattable => value is { } v ? v.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : "unset";

    private static ulong RandomSeed()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }
}
