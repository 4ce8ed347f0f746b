namespace Llama4.Moderation.Internal.Pii;

/// <summary>A span of text found to be personal data or a secret.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Start">The first character.</param>
/// <param name="Length">The number of characters.</param>
/// <param name="Label">The finding label (the kind, or the secret's format).</param>
internal readonly record struct PiiMatch(PiiKind Kind, int Start, int Length, string Label)
{
    public int End => Start + Length;
}
