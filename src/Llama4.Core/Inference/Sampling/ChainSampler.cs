using System.Numerics.Tensors;

namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// Draws one token from llama.cpp's sampling chain (top-k, top-p, min-p, temperature, then the softmax draw; penalties
/// are applied to the logits beforehand) with the same distribution, without sorting the vocabulary:
/// <list type="bullet">
/// <item>greedy is one vectorised arg-max;</item>
/// <item>a top-k of at most 256 is a vectorised scan feeding a small heap;</item>
/// <item>otherwise each token gets a bucket of 1/64 nat below the largest logit, a histogram counts the tokens (and, for
/// top-p, sums their softmax numerators) per bucket, and only the one bucket a cut goes through is gathered and sorted
/// (split into 256 sub-buckets first when crowded);</item>
/// <item>the draw sums the tempered weights above the cut in blocks of 1,024 tokens and walks only the block the random
/// point falls in.</item>
/// </list>
/// The passes work block by block on small stack buffers (keys and weights are never stored per token), so a draw
/// streams the logits a few times and writes nothing the size of the vocabulary. Every truncation keeps a top set by logit; ties at a cut keep the lower token ids (see <see cref="TokenCandidate"/>'s order),
/// where llama.cpp's partial sort keeps an unspecified subset of the tied tokens.
/// </summary>
internal static class ChainSampler
{
    /// <summary>Draws a token from <paramref name="logits"/> (already penalised) with the random point <paramref name="u"/> in [0, 1).</summary>
    public static int Sample(ReadOnlySpan<float> logits, SamplingSettings settings, double u, SamplingWorkspace workspace)
    {
        if (settings.Greedy)
        {
            return TensorPrimitives.IndexOfMax(logits);
        }

        var vocabulary = logits.Length;
        var topK = settings.TopK > 0 && settings.TopK < vocabulary ? settings.TopK : 0;
        if (topK is > 0 and <= SamplingWorkspace.HeapTopKLimit)
        {
            return SampleSmallTopK(logits, settings, topK, u, workspace);
        }

        var max = TensorPrimitives.Max(logits);
        if (float.IsNegativeInfinity(max) || float.IsNaN(max))
        {
            return TensorPrimitives.IndexOfMax(logits);
        }

        var cut = Truncate(logits, max, settings, topK, workspace);
        return Draw(logits, max, settings.Temperature, cut, u, workspace);
    }

    /// <summary>Where top-k (above the heap limit), top-p and min-p cut the logits.</summary>
    public static TruncationCut Truncate(ReadOnlySpan<float> logits, float max, SamplingSettings settings, int topK, SamplingWorkspace workspace)
    {
        var cut = TruncationCut.All;
        var topP = settings.TopP < 1f;
        if (topK > 0 || topP)
        {
            LogitKernels.HistogramOf(logits, max, withMass: topP, workspace);
            var mass = 0.0;
            foreach (var m in workspace.BucketMass)
            {
                mass += m;
            }

            var kBucket = SamplingWorkspace.Buckets;
            if (topK > 0)
            {
                var before = 0;
                var beforeMass = 0.0;
                kBucket = 0;
                while (before + workspace.BucketCounts[kBucket] < topK)
                {
                    before += workspace.BucketCounts[kBucket];
                    beforeMass += workspace.BucketMass[kBucket];
                    kBucket++;
                }

                cut = CutInBucket(logits, max, kBucket, byMass: false, topK - before, workspace, out var takenMass);
                mass = beforeMass + takenMass;
            }

            if (topP)
            {
                var target = settings.TopP * mass;
                var before = 0.0;
                var bucket = 0;
                while (bucket < Math.Min(kBucket, SamplingWorkspace.Buckets - 1) && before + workspace.BucketMass[bucket] < target)
                {
                    before += workspace.BucketMass[bucket];
                    bucket++;
                }

                // When the nucleus ends in the top-k's boundary bucket, the narrower of the two cuts through it wins.
                cut = cut.Narrowest(CutInBucket(logits, max, bucket, byMass: true, target - before, workspace, out _));
            }
        }

        if (settings.MinP > 0f)
        {
            cut = cut.Narrowest(new TruncationCut(max + MathF.Log(settings.MinP), int.MaxValue));
        }

        return cut;
    }

    /// <summary>Draws from the tokens <paramref name="cut"/> keeps, weighted by <c>exp((logit - max) / temperature)</c>.</summary>
    public static int Draw(ReadOnlySpan<float> logits, float max, float temperature, TruncationCut cut, double u, SamplingWorkspace workspace)
    {
        var scale = 1f / temperature;
        var chunks = workspace.ChunkSums.AsSpan();
        var above = LogitKernels.TemperedSumsAbove(logits, max, scale, cut.Threshold, chunks, out var equal);
        var ties = Math.Min(cut.Ties, equal);
        var tieWeight = ties > 0 ? MathF.Exp((cut.Threshold - max) * scale) : 0f;
        var total = above + (ties * (double)tieWeight);
        if (!(total > 0))
        {
            return TensorPrimitives.IndexOfMax(logits);
        }

        var target = u * total;
        if (target < above || ties == 0)
        {
            var acc = 0.0;
            var chunk = 0;
            while (acc + chunks[chunk] <= target && (chunk + 1) * SamplingWorkspace.ChunkLength < logits.Length)
            {
                acc += chunks[chunk];
                chunk++;
            }

            Span<float> tempered = stackalloc float[SamplingWorkspace.ChunkLength];
            LogitKernels.TemperedBlock(logits, chunk, max, scale, tempered);
            var start = chunk * SamplingWorkspace.ChunkLength;
            var end = Math.Min(logits.Length, start + SamplingWorkspace.ChunkLength);
            var last = -1;
            for (var i = start; i < end; i++)
            {
                var weight = tempered[i - start];
                if (logits[i] > cut.Threshold && weight > 0f)
                {
                    last = i;
                    acc += weight;
                    if (acc > target)
                    {
                        return i;
                    }
                }
            }

            // Rounding between the chunk's vector sum and this walk: the point lies at the chunk's end.
            if (last >= 0)
            {
                return last;
            }
        }

        // The point falls among the tokens tied at the threshold: the k-th of them in id order.
        var k = Math.Clamp((int)((target - above) / tieWeight), 0, Math.Max(0, ties - 1));
        for (var i = 0; i < logits.Length; i++)
        {
            if (logits[i] == cut.Threshold && k-- == 0)
            {
                return i;
            }
        }

        return TensorPrimitives.IndexOfMax(logits);
    }

    /// <summary>
    /// Cuts through one bucket: its tokens are taken in <see cref="TokenCandidate"/>'s order until <paramref name="need"/>
    /// tokens (or, <paramref name="byMass"/>, that much softmax numerator at temperature 1) are taken. The sorted kept
    /// tokens stay at the start of <see cref="SamplingWorkspace.Members"/>.
    /// </summary>
    private static TruncationCut CutInBucket(ReadOnlySpan<float> logits, float max, int bucket, bool byMass, double need, SamplingWorkspace workspace, out double takenMass)
    {
        var members = workspace.Members.AsSpan(0, LogitKernels.GatherBucket(logits, max, bucket, workspace.Members));
        takenMass = 0;
        var takenBefore = 0;
        if (members.Length > 2 * SamplingWorkspace.SubBuckets && bucket < SamplingWorkspace.Buckets - 1)
        {
            // Split the bucket by the next 8 bits of the same distance, then sort only the sub-bucket the cut is in.
            var counts = workspace.SubCounts.AsSpan();
            var mass = workspace.SubMass.AsSpan();
            counts.Clear();
            mass.Clear();
            foreach (var member in members)
            {
                var sub = SubKey(member.Logit, max, bucket);
                counts[sub]++;
                mass[sub] += MathF.Exp(member.Logit - max);
            }

            var crossing = 0;
            while (crossing < SamplingWorkspace.SubBuckets - 1 && (byMass ? takenMass + mass[crossing] < need : takenBefore + counts[crossing] < need))
            {
                takenMass += mass[crossing];
                takenBefore += counts[crossing];
                crossing++;
            }

            var kept = 0;
            foreach (var member in members)
            {
                if (SubKey(member.Logit, max, bucket) == crossing)
                {
                    members[kept++] = member;
                }
            }

            members = members[..kept];
        }

        members.Sort();
        for (var i = 0; i < members.Length; i++)
        {
            takenMass += MathF.Exp(members[i].Logit - max);
            if (byMass ? takenMass >= need : takenBefore + i + 1 >= need)
            {
                return TruncationCut.KeepFirst(members, i + 1);
            }
        }

        return TruncationCut.KeepFirst(members, members.Length);
    }

    private static int SubKey(float logit, float max, int bucket)
    {
        var distance = (max - logit) * SamplingWorkspace.BucketsPerNat;
        return Math.Clamp((int)((distance - bucket) * SamplingWorkspace.SubBuckets), 0, SamplingWorkspace.SubBuckets - 1);
    }

    private static int SampleSmallTopK(ReadOnlySpan<float> logits, SamplingSettings settings, int topK, double u, SamplingWorkspace workspace)
    {
        var top = workspace.Top.AsSpan(0, topK);
        TopKSelector.Select(logits, top);
        var max = top[0].Logit;
        if (!float.IsFinite(max))
        {
            return top[0].Id;
        }

        var count = topK;
        if (settings.TopP < 1f)
        {
            var total = 0.0;
            foreach (var candidate in top)
            {
                total += MathF.Exp(candidate.Logit - max);
            }

            var target = settings.TopP * total;
            var cumulative = 0.0;
            for (var i = 0; i < topK; i++)
            {
                cumulative += MathF.Exp(top[i].Logit - max);
                if (cumulative >= target)
                {
                    count = i + 1;
                    break;
                }
            }
        }

        if (settings.MinP > 0f)
        {
            var threshold = max + MathF.Log(settings.MinP);
            var kept = 1;
            while (kept < count && top[kept].Logit >= threshold)
            {
                kept++;
            }

            count = kept;
        }

        var weightSum = 0.0;
        for (var i = 0; i < count; i++)
        {
            weightSum += MathF.Exp((top[i].Logit - max) / settings.Temperature);
        }

        var point = u * weightSum;
        var acc = 0.0;
        for (var i = 0; i < count; i++)
        {
            acc += MathF.Exp((top[i].Logit - max) / settings.Temperature);
            if (acc > point)
            {
                return top[i].Id;
            }
        }

        return top[count - 1].Id;
    }
}
