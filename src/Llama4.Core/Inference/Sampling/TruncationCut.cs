namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// Where top-k, top-p and min-p cut the candidates, which are always a top set by logit: every token whose logit is
/// above <see cref="Threshold"/>, plus the first <see cref="Ties"/> tokens (in id order) whose logit equals it.
/// </summary>
/// <param name="Threshold">The logit at the cut.</param>
/// <param name="Ties">How many tokens with exactly the threshold logit stay; <see cref="int.MaxValue"/> for all of them.</param>
internal readonly record struct TruncationCut(float Threshold, int Ties)
{
    /// <summary>No cut: every token stays.</summary>
    public static TruncationCut All { get; } = new(float.NegativeInfinity, int.MaxValue);

    /// <summary>Whether this cut keeps a subset of what <paramref name="other"/> keeps (both being top sets).</summary>
    public bool IsWithin(TruncationCut other) => Threshold > other.Threshold || (Threshold == other.Threshold && Ties <= other.Ties);

    /// <summary>The narrower of two cuts: what both keep.</summary>
    public TruncationCut Narrowest(TruncationCut other) => IsWithin(other) ? this : other;

    /// <summary>The cut that keeps the first <paramref name="count"/> of <paramref name="sorted"/> (in <see cref="TokenCandidate"/>'s order).</summary>
    public static TruncationCut KeepFirst(ReadOnlySpan<TokenCandidate> sorted, int count)
    {
        var threshold = sorted[count - 1].Logit;
        var ties = 0;
        for (var i = count - 1; i >= 0 && sorted[i].Logit == threshold; i--)
        {
            ties++;
        }

        return new TruncationCut(threshold, ties);
    }
}
