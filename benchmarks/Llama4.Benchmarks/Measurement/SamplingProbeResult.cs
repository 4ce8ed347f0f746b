namespace Llama4.Benchmarks.Measurement;

/// <summary>What the sampling probe measured for one variant over its measured rounds.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="SampleMicroseconds">Every <c>Sample</c> call but each round's first, in microseconds.</param>
/// <param name="FirstSampleMicroseconds">Each round's first <c>Sample</c> (it creates the native sampler chains, parsing the grammar).</param>
/// <param name="DecodeMicroseconds">Each single-token decode (<c>Infer</c> after the prompt), in microseconds.</param>
/// <param name="AcceptedMicroseconds">The samples of <paramref name="SampleMicroseconds"/> whose first draw the grammar accepted (all of them without a grammar).</param>
/// <param name="FallbackMicroseconds">The samples of <paramref name="SampleMicroseconds"/> that fell back to the whole vocabulary.</param>
/// <param name="Fallbacks">Samples that applied the grammar to the whole vocabulary.</param>
/// <param name="OutputTokens">Tokens generated per round.</param>
/// <param name="Tokens">The tokens of every measured round, in order (to compare variants that must sample alike).</param>
internal sealed record SamplingProbeResult(
    SamplingVariant Variant,
    IReadOnlyList<double> SampleMicroseconds,
    IReadOnlyList<double> FirstSampleMicroseconds,
    IReadOnlyList<double> DecodeMicroseconds,
    IReadOnlyList<double> AcceptedMicroseconds,
    IReadOnlyList<double> FallbackMicroseconds,
    int Fallbacks,
    IReadOnlyList<int> OutputTokens,
    IReadOnlyList<int> Tokens)
{
    public int Samples => SampleMicroseconds.Count + FirstSampleMicroseconds.Count;

    public double FallbackPercent => Samples > 0 ? 100.0 * Fallbacks / Samples : 0;

    public double MeanSampleMicroseconds => SampleMicroseconds.Count > 0 ? SampleMicroseconds.Average() : double.NaN;

    public double MeanDecodeMicroseconds => DecodeMicroseconds.Count > 0 ? DecodeMicroseconds.Average() : double.NaN;

    public Summary Sample => Summary.Of(SampleMicroseconds);

    public double MeanAcceptedMicroseconds => AcceptedMicroseconds.Count > 0 ? AcceptedMicroseconds.Average() : double.NaN;

    public double MeanFallbackMicroseconds => FallbackMicroseconds.Count > 0 ? FallbackMicroseconds.Average() : double.NaN;

    public double SampleP90 => Percentile(SampleMicroseconds, 0.9);

    public Summary FirstSample => Summary.Of(FirstSampleMicroseconds);

    public static double Percentile(IReadOnlyList<double> values, double fraction)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
