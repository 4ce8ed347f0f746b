namespace Llama4.Core;

/// <summary>
/// Sampling settings of one request. Every value is optional: an unset value takes the model's own default, read from
/// the GGUF's <c>general.sampling.*</c> keys when the file has them, otherwise from Meta's generation config for the
/// Llama 4 instruct models (temperature 0.6, top-p 0.9, no top-k, no min-p, no penalties). An unset <see cref="Seed"/>
/// means a fresh random seed for every request.
/// </summary>
public sealed record Llama4SamplingOptions
{
    /// <summary>Gets the temperature (0 = greedy).</summary>
    public float? Temperature { get; init; }

    /// <summary>Gets the nucleus-sampling probability mass (1 = off).</summary>
    public float? TopP { get; init; }

    /// <summary>Gets the number of most likely tokens to keep (0 = off).</summary>
    public int? TopK { get; init; }

    /// <summary>Gets the minimum probability relative to the most likely token (0 = off).</summary>
    public float? MinP { get; init; }

    /// <summary>Gets the repetition penalty (1 = off).</summary>
    public float? RepeatPenalty { get; init; }

    /// <summary>Gets the frequency penalty (0 = off).</summary>
    public float? FrequencyPenalty { get; init; }

    /// <summary>Gets the presence penalty (0 = off).</summary>
    public float? PresencePenalty { get; init; }

    /// <summary>Gets how many recent tokens the penalties look at.</summary>
    public int? PenaltyLastTokens { get; init; }

    /// <summary>Gets the random seed; the same seed and request give the same output.</summary>
    public long? Seed { get; init; }

    /// <summary>
    /// Checks every set value: finite numbers in their documented ranges, so that nothing NaN, infinite or absurdly
    /// large reaches the sampler (a NaN temperature would sample garbage silently; a huge penalty window would allocate
    /// gigabytes per request).
    /// </summary>
    /// <param name="parameterName">The name reported in the exception.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is NaN, infinite or out of its range; the message names it and the range.</exception>
    internal void Validate(string parameterName)
    {
        if (FirstProblem() is { } problem)
        {
            throw new ArgumentOutOfRangeException(parameterName, problem);
        }
    }

    /// <summary>Describes the first set value that is NaN, infinite or out of its range, or returns null.</summary>
    internal string? FirstProblem() =>
        Check(Temperature, nameof(Temperature), 0, float.MaxValue, "0 (greedy) or more")
        ?? Check(TopP, nameof(TopP), 0, 1, "from 0 to 1 (1 = off)")
        ?? Check(MinP, nameof(MinP), 0, 1, "from 0 to 1 (0 = off)")
        ?? Check(RepeatPenalty, nameof(RepeatPenalty), float.Epsilon, float.MaxValue, "above 0 (1 = off)")
        ?? Check(FrequencyPenalty, nameof(FrequencyPenalty), -2, 2, "from -2 to 2 (0 = off)")
        ?? Check(PresencePenalty, nameof(PresencePenalty), -2, 2, "from -2 to 2 (0 = off)")
        ?? (TopK is < 0 ? $"{nameof(TopK)} is {TopK}; it must be 0 (off) or more." : null)
        ?? (PenaltyLastTokens is < 0 ? $"{nameof(PenaltyLastTokens)} is {PenaltyLastTokens}; it must be 0 or more (a window longer than the sequence covers the whole sequence)." : null);

    /// <summary>Returns a copy without the values <see cref="FirstProblem"/> would report (for defaults read from a model file).</summary>
    internal Llama4SamplingOptions WithoutInvalidValues() => new()
    {
        Temperature = new Llama4SamplingOptions { Temperature = Temperature }.FirstProblem() is null ? Temperature : null,
        TopP = new Llama4SamplingOptions { TopP = TopP }.FirstProblem() is null ? TopP : null,
        TopK = new Llama4SamplingOptions { TopK = TopK }.FirstProblem() is null ? TopK : null,
        MinP = new Llama4SamplingOptions { MinP = MinP }.FirstProblem() is null ? MinP : null,
        RepeatPenalty = new Llama4SamplingOptions { RepeatPenalty = RepeatPenalty }.FirstProblem() is null ? RepeatPenalty : null,
        FrequencyPenalty = new Llama4SamplingOptions { FrequencyPenalty = FrequencyPenalty }.FirstProblem() is null ? FrequencyPenalty : null,
        PresencePenalty = new Llama4SamplingOptions { PresencePenalty = PresencePenalty }.FirstProblem() is null ? PresencePenalty : null,
        PenaltyLastTokens = new Llama4SamplingOptions { PenaltyLastTokens = PenaltyLastTokens }.FirstProblem() is null ? PenaltyLastTokens : null,
        Seed = Seed,
    };

    private static string? Check(float? value, string name, float min, float max, string range) =>
        value is { } v && (!float.IsFinite(v) || v < min || v > max)
            ? $"{name} is {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}; it must be a finite number {range}."
            : null;

    /// <summary>Returns a copy where every value unset here is taken from <paramref name="fallback"/>.</summary>
    /// <param name="fallback">The values to use where this instance has none.</param>
    /// <returns>The merged options.</returns>
    public Llama4SamplingOptions WithFallback(Llama4SamplingOptions? fallback)
    {
        if (fallback is null)
        {
            return this;
        }

        return new Llama4SamplingOptions
        {
            Temperature = Temperature ?? fallback.Temperature,
            TopP = TopP ?? fallback.TopP,
            TopK = TopK ?? fallback.TopK,
            MinP = MinP ?? fallback.MinP,
            RepeatPenalty = RepeatPenalty ?? fallback.RepeatPenalty,
            FrequencyPenalty = FrequencyPenalty ?? fallback.FrequencyPenalty,
            PresencePenalty = PresencePenalty ?? fallback.PresencePenalty,
            PenaltyLastTokens = PenaltyLastTokens ?? fallback.PenaltyLastTokens,
            Seed = Seed ?? fallback.Seed,
        };
    }
}
