using System.Numerics;
using System.Runtime.InteropServices;

namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// Selects the k largest logits in one pass: a min-heap of k candidates, and a vectorised comparison against the
/// heap's smallest that skips every block of logits with nothing larger (for a top-k of 40 over 202,048 tokens, a few
/// hundred heap updates). Ties keep the lower ids, as <see cref="TokenCandidate"/>'s order ranks them.
/// </summary>
internal static class TopKSelector
{
    /// <summary>Fills <paramref name="top"/> (its length is k, at most the logits' count) with the k best candidates, sorted.</summary>
    public static void Select(ReadOnlySpan<float> logits, Span<TokenCandidate> top)
    {
        var k = top.Length;
        for (var i = 0; i < k; i++)
        {
            top[i] = new TokenCandidate(logits[i], i);
        }

        for (var i = (k / 2) - 1; i >= 0; i--)
        {
            SiftDown(top, i);
        }

        var worst = top[0].Logit;
        ref var source = ref MemoryMarshal.GetReference(logits);
        var n = logits.Length;
        var position = k;
        for (; position < n && position % Vector<float>.Count != 0; position++)
        {
            Offer(logits[position], position, top, ref worst);
        }

        for (; position <= n - Vector<float>.Count; position += Vector<float>.Count)
        {
            if (Vector.GreaterThanAny(Vector.LoadUnsafe(ref source, (nuint)position), new Vector<float>(worst)))
            {
                for (var j = position; j < position + Vector<float>.Count; j++)
                {
                    Offer(logits[j], j, top, ref worst);
                }
            }
        }

        for (; position < n; position++)
        {
            Offer(logits[position], position, top, ref worst);
        }

        top.Sort();
    }

    private static void Offer(float logit, int id, Span<TokenCandidate> heap, ref float worst)
    {
        // Later ids lose ties: only a strictly larger logit enters.
        if (logit > worst)
        {
            heap[0] = new TokenCandidate(logit, id);
            SiftDown(heap, 0);
            worst = heap[0].Logit;
        }
    }

    /// <summary>The heap's root is the candidate that leaves first: the lowest logit, and among equal logits the highest id.</summary>
    private static bool LeavesBefore(TokenCandidate a, TokenCandidate b) => a.Logit < b.Logit || (a.Logit == b.Logit && a.Id > b.Id);

    private static void SiftDown(Span<TokenCandidate> heap, int index)
    {
        var count = heap.Length;
        while (true)
        {
            var left = (2 * index) + 1;
            if (left >= count)
            {
                return;
            }

            var child = left + 1 < count && LeavesBefore(heap[left + 1], heap[left]) ? left + 1 : left;
            if (!LeavesBefore(heap[child], heap[index]))
            {
                return;
            }

            (heap[child], heap[index]) = (heap[index], heap[child]);
            index = child;
        }
    }
}
