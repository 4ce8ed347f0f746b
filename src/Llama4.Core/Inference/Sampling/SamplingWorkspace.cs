using LLama.Native;

namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// Scratch buffers for drawing one token over a vocabulary of a fixed size, reused from token to token and shared by
/// the sequences a sampling thread serves one after another (a workspace is used by one thread at a time). Nothing in
/// it outlives a draw. About 7 MB for Llama 4's 202,048 tokens, the grammar buffers included once a grammar is used.
/// </summary>
internal sealed class SamplingWorkspace
{
    /// <summary>The number of logit buckets: <see cref="BucketsPerNat"/> per nat below the largest logit, the last bucket holding everything further down.</summary>
    public const int Buckets = 2048;

    /// <summary>The width of a bucket: 1/64 of a nat of logit (a weight ratio of about 1.6%).</summary>
    public const float BucketsPerNat = 64f;

    /// <summary>The sub-buckets a crowded bucket is split into before its members are sorted.</summary>
    public const int SubBuckets = 256;

    /// <summary>The logits summed per chunk when drawing: the scan skips whole chunks.</summary>
    public const int ChunkLength = 256;

    /// <summary>The largest top-k served by the heap selection (larger ones use the buckets).</summary>
    public const int HeapTopKLimit = 256;

    private LLamaTokenData[]? _grammarCandidates;
    private int[]? _order;
    private TokenCandidate[]? _valid;

    public SamplingWorkspace(int vocabularySize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        VocabularySize = vocabularySize;
        Penalized = new float[vocabularySize];
        Weights = new float[vocabularySize];
        Tempered = new float[vocabularySize];
        Keys = new int[vocabularySize];
        Members = new TokenCandidate[vocabularySize];
        ChunkSums = new double[(vocabularySize / ChunkLength) + 1];
    }

    public int VocabularySize { get; }

    /// <summary>Gets the logits with the penalties applied (a copy; the context's logits are never written).</summary>
    public float[] Penalized { get; }

    /// <summary>Gets <c>exp(logit - max)</c> per token: the softmax numerators at temperature 1, which top-p measures.</summary>
    public float[] Weights { get; }

    /// <summary>Gets <c>exp((logit - max) / temperature)</c> per token: what the final draw is weighted by.</summary>
    public float[] Tempered { get; }

    /// <summary>Gets each token's bucket: <c>(int)((max - logit) * 64)</c>, at most <see cref="Buckets"/> - 1.</summary>
    public int[] Keys { get; }

    public int[] BucketCounts { get; } = new int[Buckets];

    public double[] BucketMass { get; } = new double[Buckets];

    /// <summary>Gets the tokens of one bucket being cut through.</summary>
    public TokenCandidate[] Members { get; }

    public int[] SubCounts { get; } = new int[SubBuckets];

    public double[] SubMass { get; } = new double[SubBuckets];

    public double[] ChunkSums { get; }

    /// <summary>Gets the heap, then the sorted result, of a small top-k selection.</summary>
    public TokenCandidate[] Top { get; } = new TokenCandidate[HeapTopKLimit];

    /// <summary>Gets which first bytes the grammar allows now (grammar path).</summary>
    public bool[] AllowedFirstBytes { get; } = new bool[256];

    /// <summary>Gets where each bucket starts in <see cref="Order"/> (grammar path).</summary>
    public int[] BucketStarts { get; } = new int[Buckets + 1];

    /// <summary>Gets how many grammar-valid tokens each checked bucket has (grammar path).</summary>
    public int[] ValidCounts { get; } = new int[Buckets];

    /// <summary>Gets the softmax numerators at temperature 1 of each checked bucket's valid tokens (grammar path).</summary>
    public double[] ValidMass { get; } = new double[Buckets];

    /// <summary>Gets the token ids grouped by bucket, most likely bucket first (grammar path; allocated on first use).</summary>
    public int[] Order => _order ??= new int[VocabularySize];

    /// <summary>Gets the grammar-valid tokens of the checked buckets, grouped like <see cref="Order"/> (grammar path).</summary>
    public TokenCandidate[] Valid => _valid ??= new TokenCandidate[VocabularySize];

    /// <summary>Gets the candidates handed to llama.cpp's grammar sampler (grammar path; allocated on first use).</summary>
    public LLamaTokenData[] GrammarCandidates => _grammarCandidates ??= new LLamaTokenData[VocabularySize];
}
