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

    /// <summary>Collects the tokens of one bucket, in id order.</summary>
    /// <returns>How many were written to <paramref name="members"/>.</returns>
    public static int Gather(ReadOnlySpan<int> keys, ReadOnlySpan<float> logits, int bucket, Span<TokenCandidate> members)
    {
        var n = keys.Length;
        ref var source = ref MemoryMarshal.GetReference(keys);
        var vbucket = new Vector<int>(bucket);
        var count = 0;
        var i = 0;
        for (; i <= n - Vector<int>.Count; i += Vector<int>.Count)
        {
            if (Vector.EqualsAny(Vector.LoadUnsafe(ref source, (nuint)i), vbucket))
            {
                for (var j = i; j < i + Vector<int>.Count; j++)
                {
                    if (keys[j] == bucket)
                    {
                        members[count++] = new TokenCandidate(logits[j], j);
                    }
                }
            }
        }

        for (; i < n; i++)
        {
            if (keys[i] == bucket)
            {
                members[count++] = new TokenCandidate(logits[i], i);
            }
        }

        return count;
    }

    /// <summary>
    /// Sums, per chunk of <see cref="SamplingWorkspace.ChunkLength"/> tokens, the weights of the tokens whose logit is
    /// above <paramref name="threshold"/>, and counts the tokens whose logit equals it.
    /// </summary>
    /// <returns>The sum over all chunks.</returns>
    public static double ChunkedSumAbove(ReadOnlySpan<float> logits, ReadOnlySpan<float> weights, float threshold, Span<double> chunkSums, out int equalCount)
    {
        var n = logits.Length;
        ref var l0 = ref MemoryMarshal.GetReference(logits);
        ref var w0 = ref MemoryMarshal.GetReference(weights);
        var vthreshold = new Vector<float>(threshold);
        var total = 0.0;
        var equal = Vector<int>.Zero;
        var equalInTails = 0;
        var chunk = 0;
        for (var start = 0; start < n; start += SamplingWorkspace.ChunkLength, chunk++)
        {
            var end = Math.Min(n, start + SamplingWorkspace.ChunkLength);
            var acc = Vector<float>.Zero;
            var i = start;
            for (; i <= end - Vector<float>.Count; i += Vector<float>.Count)
            {
                var l = Vector.LoadUnsafe(ref l0, (nuint)i);
                var w = Vector.LoadUnsafe(ref w0, (nuint)i);
                acc += Vector.ConditionalSelect(Vector.GreaterThan(l, vthreshold), w, Vector<float>.Zero);
                equal -= Vector.Equals(l, vthreshold);
            }

            var sum = (double)Vector.Sum(acc);
            for (; i < end; i++)
            {
                var l = Unsafe.Add(ref l0, i);
                if (l > threshold)
                {
                    sum += Unsafe.Add(ref w0, i);
                }
                else if (l == threshold)
                {
                    equalInTails++;
                }
            }

            chunkSums[chunk] = sum;
            total += sum;
        }

        equalCount = Vector.Sum(equal) + equalInTails;
        return total;
    }
}
