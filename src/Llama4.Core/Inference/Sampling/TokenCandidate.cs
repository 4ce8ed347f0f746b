namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// A token and its (penalised) logit, as the samplers sort and keep them. The natural order is the one every sampler
/// ranks candidates in: higher logit first, and among equal logits the lower token id first, so that a cut through
/// tied tokens keeps the same ones whichever algorithm made it (sorting with it allocates nothing).
/// </summary>
/// <param name="Logit">The logit.</param>
/// <param name="Id">The token id.</param>
internal readonly record struct TokenCandidate(float Logit, int Id) : IComparable<TokenCandidate>
{
    public int CompareTo(TokenCandidate other) =>
        Logit > other.Logit ? -1 : Logit < other.Logit ? 1 : Id.CompareTo(other.Id);
}
