using LLama.Native;

namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// Scratch buffers for drawing one token over a vocabulary of a fixed size, reused from token to token and shared by
/// the sequences a sampling thread serves one after another (a workspace is used by one thread at a time). Nothing in
/// it outlives a draw. About 2.5 MB for Llama 4's 202,048 tokens, 12 MB once a grammar is used.
/// </summary>
internal sealed class SamplingWorkspace
{
    /// <summary>The number of logit buckets: <see cref="BucketsPerNat"/> per nat below the largest logit, the last bucket holding everything further down.</summary>
    public const int Buckets = 2048;

    /// <summary>The width of a bucket: 1/64 of a nat of logit (a weight ratio of about 1.6%).</summary>
    public const float BucketsPerNat = 64f;

    /// <summary>The sub-buckets a crowded bucket is split into before its members are sorted.</summary>
    public const int SubBuckets = 256;

    /// <summary>The tokens processed per block by the fused passes, and summed per chunk when drawing: the draw walks one chunk.</summary>
    public const int ChunkLength = 1024;

    /// <summary>The largest top-k served by the heap selection (larger ones use the buckets).</summary>
    public const int HeapTopKLimit = 256;

    private float[]? _weights;
    private int[]? _keys;
    private LLamaTokenData[]? _grammarCandidates;
    private sbyte[]? _verdicts;
    private int[]? _resolveQueue;
    private int[]? _levelOrder;
    private int[]? _resolveBatch;
    private int[]? _order;
    private TokenCandidate[]? _valid;

    public SamplingWorkspace(int vocabularySize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        VocabularySize = vocabularySize;
        Penalized = new float[vocabularySize];
        Members = new TokenCandidate[vocabularySize];
        ChunkSums = new double[(vocabularySize / ChunkLength) + 1];
    }

    public int VocabularySize { get; }

    /// <summary>Gets the logits with the penalties applied (a copy; the context's logits are never written).</summary>
    public float[] Penalized { get; }

    /// <summary>Gets <c>exp(logit - max)</c> per token: the softmax numerators at temperature 1 (grammar path; allocated on first use).</summary>
    public float[] Weights => _weights ??= new float[VocabularySize];

    /// <summary>Gets each token's bucket: <c>(int)((max - logit) * 64)</c>, at most <see cref="Buckets"/> - 1 (grammar path; allocated on first use).</summary>
    public int[] Keys => _keys ??= new int[VocabularySize];

    public int[] BucketCounts { get; } = new int[Buckets];

    public double[] BucketMass { get; } = new double[Buckets];

    /// <summary>Gets the second of the two interleaved histograms <see cref="LogitKernels.HistogramOf"/> counts into.</summary>
    public int[] BucketCounts2 { get; } = new int[Buckets];

    /// <summary>Gets the masses of the second interleaved histogram.</summary>
    public double[] BucketMass2 { get; } = new double[Buckets];

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

    /// <summary>Gets, per token, what the grammar path found: unknown, allowed, rejected (grammar path; allocated on first use).</summary>
    public sbyte[] Verdicts => _verdicts ??= new sbyte[VocabularySize];

    /// <summary>Gets the tokens waiting for a verdict (grammar path).</summary>
    public int[] ResolveQueue => _resolveQueue ??= new int[VocabularySize];

    /// <summary>Gets the waiting tokens ordered by piece length (grammar path).</summary>
    public int[] LevelOrder => _levelOrder ??= new int[VocabularySize];

    /// <summary>Gets the tokens of one llama.cpp check (grammar path).</summary>
    public int[] ResolveBatch => _resolveBatch ??= new int[VocabularySize];

    /// <summary>Gets the candidates handed to llama.cpp's grammar sampler (grammar path; allocated on first use).</summary>
    public LLamaTokenData[] GrammarCandidates => _grammarCandidates ??= new LLamaTokenData[VocabularySize];
}
