using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// The vectorised passes over a whole row of logits that the samplers are built from. Each is one pass at memory speed
/// (SIMD through <see cref="Vector{T}"/> and <see cref="TensorPrimitives"/>); none allocates.
/// </summary>
internal static class LogitKernels
{
    /// <summary>Writes <c>exp((logit - max) * scale)</c> for every token.</summary>
    public static void Exponentiate(ReadOnlySpan<float> logits, float max, float scale, Span<float> destination)
    {
        TensorPrimitives.Subtract(logits, max, destination);
        if (scale != 1f)
        {
            TensorPrimitives.Multiply(destination, scale, destination);
        }

        TensorPrimitives.Exp(destination, destination);
    }

    /// <summary>Writes each token's bucket, <c>min((int)((max - logit) * 64), Buckets - 1)</c>: ascending buckets hold descending logits.</summary>
    public static void ComputeKeys(ReadOnlySpan<float> logits, float max, Span<int> keys)
    {
        var n = logits.Length;
        ref var source = ref MemoryMarshal.GetReference(logits);
        ref var target = ref MemoryMarshal.GetReference(keys);
        var vmax = new Vector<float>(max);
        var vscale = new Vector<float>(SamplingWorkspace.BucketsPerNat);
        var vlast = new Vector<float>(SamplingWorkspace.Buckets - 1);
        var vlastKey = new Vector<int>(SamplingWorkspace.Buckets - 1);
        var i = 0;
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
        {
            var distance = Vector.Min((vmax - Vector.LoadUnsafe(ref source, (nuint)i)) * vscale, vlast);
            var key = Vector.Min(Vector.Max(Vector.ConvertToInt32(distance), Vector<int>.Zero), vlastKey);
            key.StoreUnsafe(ref target, (nuint)i);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref target, i) = KeyOf(Unsafe.Add(ref source, i), max);
        }
    }

    /// <summary>The bucket of one logit, exactly as <see cref="ComputeKeys"/> computes it.</summary>
    public static int KeyOf(float logit, float max)
    {
        var distance = MathF.Min((max - logit) * SamplingWorkspace.BucketsPerNat, SamplingWorkspace.Buckets - 1);
        return float.IsNaN(distance) ? SamplingWorkspace.Buckets - 1 : Math.Max(0, (int)distance);
    }

    /// <summary>Counts the tokens of each bucket and, when <paramref name="weights"/> is not empty, sums their weights.</summary>
    public static void Histogram(ReadOnlySpan<int> keys, ReadOnlySpan<float> weights, Span<int> counts, Span<double> mass)
    {
        counts.Clear();
        mass.Clear();
        if (weights.IsEmpty)
        {
            foreach (var key in keys)
            {
                counts[key]++;
            }

            return;
        }

        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            counts[key]++;
            mass[key] += weights[i];
        }
    }

    /// <summary>
    /// The bucket histogram straight from the logits, without writing a key or weight per token: per block of
    /// <see cref="SamplingWorkspace.ChunkLength"/> tokens the keys (and, with <paramref name="withMass"/>, the softmax
    /// numerators at temperature 1) are computed into small buffers, then counted into two interleaved histograms that
    /// are summed at the end (consecutive tokens rarely wait on each other's bucket).
    /// </summary>
    public static void HistogramOf(ReadOnlySpan<float> logits, float max, bool withMass, SamplingWorkspace workspace)
    {
        var counts = workspace.BucketCounts.AsSpan();
        var mass = workspace.BucketMass.AsSpan();
        var counts2 = workspace.BucketCounts2.AsSpan();
        var mass2 = workspace.BucketMass2.AsSpan();
        counts.Clear();
        mass.Clear();
        counts2.Clear();
        mass2.Clear();
        Span<int> keys = stackalloc int[SamplingWorkspace.ChunkLength];
        Span<float> weights = stackalloc float[SamplingWorkspace.ChunkLength];
        for (var start = 0; start < logits.Length; start += SamplingWorkspace.ChunkLength)
        {
            var slice = logits.Slice(start, Math.Min(SamplingWorkspace.ChunkLength, logits.Length - start));
            var n = slice.Length;
            ComputeKeys(slice, max, keys[..n]);
            if (withMass)
            {
                Exponentiate(slice, max, 1f, weights[..n]);
                var i = 0;
                for (; i + 1 < n; i += 2)
                {
                    var a = keys[i];
                    var b = keys[i + 1];
                    counts[a]++;
                    mass[a] += weights[i];
                    counts2[b]++;
                    mass2[b] += weights[i + 1];
                }

                if (i < n)
                {
                    counts[keys[i]]++;
                    mass[keys[i]] += weights[i];
                }
            }
            else
            {
                var i = 0;
                for (; i + 1 < n; i += 2)
                {
                    counts[keys[i]]++;
                    counts2[keys[i + 1]]++;
                }

                if (i < n)
                {
                    counts[keys[i]]++;
                }
            }
        }

        for (var b = 0; b < SamplingWorkspace.Buckets; b++)
        {
            counts[b] += counts2[b];
            mass[b] += mass2[b];
        }
    }

    /// <summary>Collects the tokens of one bucket, in id order, computing the keys as it goes (as <see cref="HistogramOf"/> did).</summary>
    /// <returns>How many were written to <paramref name="members"/>.</returns>
    public static int GatherBucket(ReadOnlySpan<float> logits, float max, int bucket, Span<TokenCandidate> members)
    {
        Span<int> keys = stackalloc int[SamplingWorkspace.ChunkLength];
        var count = 0;
        for (var start = 0; start < logits.Length; start += SamplingWorkspace.ChunkLength)
        {
            var slice = logits.Slice(start, Math.Min(SamplingWorkspace.ChunkLength, logits.Length - start));
            ComputeKeys(slice, max, keys[..slice.Length]);
            if (keys[..slice.Length].Contains(bucket))
            {
                for (var i = 0; i < slice.Length; i++)
                {
                    if (keys[i] == bucket)
                    {
                        members[count++] = new TokenCandidate(slice[i], start + i);
                    }
                }
            }
        }

        return count;
    }

    /// <summary>
    /// Per block of <see cref="SamplingWorkspace.ChunkLength"/> tokens, sums <c>exp((logit - max) * scale)</c> over the
    /// tokens whose logit is above <paramref name="threshold"/> (computed into a small buffer, never written per token),
    /// and counts the tokens whose logit equals it.
    /// </summary>
    /// <returns>The sum over all blocks.</returns>
    public static double TemperedSumsAbove(ReadOnlySpan<float> logits, float max, float scale, float threshold, Span<double> chunkSums, out int equalCount)
    {
        Span<float> weights = stackalloc float[SamplingWorkspace.ChunkLength];
        var total = 0.0;
        var equal = 0;
        var chunk = 0;
        for (var start = 0; start < logits.Length; start += SamplingWorkspace.ChunkLength, chunk++)
        {
            var slice = logits.Slice(start, Math.Min(SamplingWorkspace.ChunkLength, logits.Length - start));
            Exponentiate(slice, max, scale, weights[..slice.Length]);
            var sum = SumAbove(slice, weights[..slice.Length], threshold, ref equal);
            chunkSums[chunk] = sum;
            total += sum;
        }

        equalCount = equal;
        return total;
    }

    /// <summary>The tempered weights of one block, as <see cref="TemperedSumsAbove"/> computed them.</summary>
    public static void TemperedBlock(ReadOnlySpan<float> logits, int chunk, float max, float scale, Span<float> weights)
    {
        var start = chunk * SamplingWorkspace.ChunkLength;
        var slice = logits.Slice(start, Math.Min(SamplingWorkspace.ChunkLength, logits.Length - start));
        Exponentiate(slice, max, scale, weights[..slice.Length]);
    }

    private static double SumAbove(ReadOnlySpan<float> logits, ReadOnlySpan<float> weights, float threshold, ref int equal)
    {
        ref var l0 = ref MemoryMarshal.GetReference(logits);
        ref var w0 = ref MemoryMarshal.GetReference(weights);
        var vthreshold = new Vector<float>(threshold);
        var acc = Vector<float>.Zero;
        var equalLanes = Vector<int>.Zero;
        var i = 0;
        for (; i <= logits.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var l = Vector.LoadUnsafe(ref l0, (nuint)i);
            acc += Vector.ConditionalSelect(Vector.GreaterThan(l, vthreshold), Vector.LoadUnsafe(ref w0, (nuint)i), Vector<float>.Zero);
            equalLanes -= Vector.Equals(l, vthreshold);
        }

        var sum = (double)Vector.Sum(acc);
        equal += Vector.Sum(equalLanes);
        for (; i < logits.Length; i++)
        {
            if (logits[i] > threshold)
            {
                sum += weights[i];
            }
            else if (logits[i] == threshold)
            {
                equal++;
            }
        }

        return sum;
    }
}
