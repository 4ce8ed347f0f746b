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
        var unset = new List<string>();
        foreach (var (name, value) in new (string, object?)[]
        {
            (nameof(sampling.Temperature), sampling.Temperature), (nameof(sampling.TopP), sampling.TopP), (nameof(sampling.TopK), sampling.TopK),
            (nameof(sampling.MinP), sampling.MinP), (nameof(sampling.RepeatPenalty), sampling.RepeatPenalty),
            (nameof(sampling.FrequencyPenalty), sampling.FrequencyPenalty), (nameof(sampling.PresencePenalty), sampling.PresencePenalty),
            (nameof(sampling.PenaltyLastTokens), sampling.PenaltyLastTokens),
        })
        {
            if (value is null)
            {
                unset.Add($"{name} is unset.");
            }
        }

        if (unset.Count > 0 || sampling.FirstProblem() is not null)
        {
            throw new ArgumentException(
                "Invalid sampling options: " + string.Join(" ", unset) + (sampling.FirstProblem() is { } problem ? " " + problem : string.Empty) +
                " Unset values come from Llama4EngineOptions.DefaultSampling, then the model's general.sampling.* keys, then Meta's defaults.",
                nameof(sampling));
        }
    }

    private static ulong RandomSeed()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }
}
