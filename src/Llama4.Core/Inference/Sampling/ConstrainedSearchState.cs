namespace Llama4.Core.Inference.Sampling;

/// <summary>What <see cref="ConstrainedSampler"/>'s bucket-by-bucket check has found so far.</summary>
internal struct ConstrainedSearchState
{
    public ConstrainedSearchState()
    {
    }

    /// <summary>Gets or sets the number of allowed tokens found.</summary>
    public int ValidTotal { get; set; }

    /// <summary>Gets or sets the softmax numerators (temperature 1, relative to the largest logit) of the allowed tokens found.</summary>
    public double ValidMass { get; set; }

    /// <summary>Gets or sets the first bucket with an allowed token, or -1.</summary>
    public int FirstValidBucket { get; set; } = -1;

    /// <summary>Gets or sets the last bucket checked, or -1.</summary>
    public int CheckedThrough { get; set; } = -1;

    /// <summary>Gets or sets the largest logit of an allowed token.</summary>
    public float BestValidLogit { get; set; } = float.NegativeInfinity;

    /// <summary>Gets or sets the smallest logit among the checked tokens.</summary>
    public float LowestChecked { get; set; } = float.PositiveInfinity;
}
