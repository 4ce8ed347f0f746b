using System.Numerics.Tensors;

namespace Llama4.Core.Inference.Sampling;

/// <summary>
/// Draws exactly from "grammar filter, then the chain": the logits of every token the grammar does not allow are
/// dropped, then top-k, top-p (over the allowed tokens' own softmax), min-p (relative to the best allowed token) and
/// temperature apply as usual. The vocabulary is checked in descending order of logit, one bucket of 1/64 nat at a
/// time, and checking stops as soon as what is left unchecked can no longer change the result:
/// <list type="bullet">
/// <item>greedy: at the first allowed token;</item>
/// <item>top-k: once k allowed tokens are found;</item>
/// <item>min-p: once a checked token lies below the threshold set by the best allowed one;</item>
/// <item>top-p: once the nucleus ends at the same token whether every unchecked token is allowed or none is (the
/// unchecked softmax mass is known from the bucket histogram);</item>
/// <item>no truncation: only when every token is checked.</item>
/// </list>
/// Tokens whose first byte or prefix token the grammar rejects are rejected without calling llama.cpp
/// (<see cref="TokenPrefixes"/>).
/// </summary>
internal static class ConstrainedSampler
{
    private const sbyte Unknown = 0;

    private const sbyte Allowed = 1;

    private const sbyte Rejected = -1;

    private const sbyte Queued = 2;

    /// <summary>How far below the largest logit (in nats) the float softmax numerators still bound the unchecked mass.</summary>
    private const float MassPrecisionNats = 80f;

    /// <summary>Draws a token the grammar allows, with the random point <paramref name="u"/> in [0, 1).</summary>
    /// <exception cref="Llama4GrammarException">The grammar allows no token at all.</exception>
    public static int Sample(ReadOnlySpan<float> logits, SamplingSettings settings, double u, GrammarConstraint grammar, TokenPrefixes prefixes, SamplingWorkspace workspace)
    {
        var vocabulary = logits.Length;
        var max = TensorPrimitives.Max(logits);
        var keys = workspace.Keys.AsSpan(0, vocabulary);
        var weights = workspace.Weights.AsSpan(0, vocabulary);
        LogitKernels.ComputeKeys(logits, max, keys);
        LogitKernels.Exponentiate(logits, max, 1f, weights);
        var counts = workspace.BucketCounts;
        LogitKernels.Histogram(keys, weights, counts, workspace.BucketMass);

        // Counting sort of the ids by bucket: most likely bucket first, ids ascending within a bucket.
        var starts = workspace.BucketStarts;
        var order = workspace.Order;
        var cursor = workspace.ValidCounts;
        starts[0] = 0;
        for (var b = 0; b < SamplingWorkspace.Buckets; b++)
        {
            starts[b + 1] = starts[b] + counts[b];
            cursor[b] = starts[b];
        }

        for (var id = 0; id < vocabulary; id++)
        {
            order[cursor[keys[id]]++] = id;
        }

        var allowedFirst = AllowedFirstBytes(grammar, prefixes, workspace);

        // Verdicts hold for this grammar state only: every draw starts from none.
        Array.Clear(workspace.Verdicts, 0, vocabulary);
        var unchecked_ = 0.0;
        foreach (var m in workspace.BucketMass)
        {
            unchecked_ += m;
        }

        var state = new ConstrainedSearchState();
        for (var bucket = 0; bucket < SamplingWorkspace.Buckets; bucket++)
        {
            CheckBucket(logits, bucket, grammar, prefixes, allowedFirst, workspace, ref state);
            unchecked_ -= workspace.BucketMass[bucket];
            var last = bucket == SamplingWorkspace.Buckets - 1;
            if (state.ValidTotal == 0)
            {
                if (last)
                {
                    throw new Llama4GrammarException("The grammar allows no token at this point of the reply: it cannot be completed. Check the grammar for a rule that can never end.");
                }

                continue;
            }

            if (settings.Greedy)
            {
                return BestValid(workspace, state.FirstValidBucket);
            }

            // Far below the largest logit the softmax numerators underflow (float), and the unchecked mass is no bound:
            // then only a complete check decides.
            var bounded = state.BestValidLogit > max - MassPrecisionNats;
            if ((bounded || last) && TryCut(settings, vocabulary, bucket, last ? 0 : Math.Max(0, unchecked_), state, workspace, out var cutBucket, out var cut))
            {
                return Draw(settings.Temperature, state.BestValidLogit, cutBucket, cut, u, workspace);
            }
        }

        throw new InvalidOperationException("The constrained sampler checked the whole vocabulary without resolving its cut.");
    }

    /// <summary>Which first bytes the grammar allows now: one llama.cpp check of the single-byte tokens.</summary>
    internal static bool[] AllowedFirstBytes(GrammarConstraint grammar, TokenPrefixes prefixes, SamplingWorkspace workspace)
    {
        var allowed = workspace.AllowedFirstBytes;
        Array.Clear(allowed);
        Span<int> tokens = stackalloc int[256];
        Span<byte> bytes = stackalloc byte[256];
        var count = 0;
        for (var b = 0; b < 256; b++)
        {
            if (prefixes.ByteTokens[b] >= 0)
            {
                tokens[count] = prefixes.ByteTokens[b];
                bytes[count++] = (byte)b;
            }
        }

        // The allowed tokens keep their order: walk both lists together.
        var kept = grammar.KeepAllowed(tokens[..count], workspace);
        var next = 0;
        for (var i = 0; i < count && next < kept; i++)
        {
            if (prefixes.ByteTokens[bytes[i]] == tokens[next])
            {
                allowed[bytes[i]] = true;
                next++;
            }
        }

        return allowed;
    }

    /// <summary>Checks one bucket; its allowed tokens go to the same range of <see cref="SamplingWorkspace.Valid"/>, in id order.</summary>
    private static void CheckBucket(ReadOnlySpan<float> logits, int bucket, GrammarConstraint grammar, TokenPrefixes prefixes, bool[] allowedFirst, SamplingWorkspace workspace, ref ConstrainedSearchState state)
    {
        var start = workspace.BucketStarts[bucket];
        var ids = workspace.Order.AsSpan(start, workspace.BucketStarts[bucket + 1] - start);
        var valid = workspace.Valid.AsSpan(start, ids.Length);
        if (ids.IsEmpty)
        {
            workspace.ValidCounts[bucket] = 0;
            workspace.ValidMass[bucket] = 0;
            return;
        }

        Resolve(ids, grammar, prefixes, allowedFirst, workspace);
        var verdicts = workspace.Verdicts;
        var allowed = 0;
        var mass = 0.0;
        var lowest = float.PositiveInfinity;
        foreach (var id in ids)
        {
            lowest = MathF.Min(lowest, logits[id]);
            if (verdicts[id] == Allowed)
            {
                valid[allowed++] = new TokenCandidate(logits[id], id);
                mass += workspace.Weights[id];
            }
        }

        workspace.ValidCounts[bucket] = allowed;
        workspace.ValidMass[bucket] = mass;
        state.LowestChecked = MathF.Min(state.LowestChecked, lowest);
        state.CheckedThrough = bucket;
        state.ValidMass += mass;
        if (allowed > 0 && state.ValidTotal == 0)
        {
            state.FirstValidBucket = bucket;
            var best = float.NegativeInfinity;
            foreach (var candidate in valid[..allowed])
            {
                best = MathF.Max(best, candidate.Logit);
            }

            state.BestValidLogit = best;
        }

        state.ValidTotal += allowed;
    }

    /// <summary>
    /// Decides whether the grammar allows each of <paramref name="ids"/> (and, on the way, each unjudged prefix of
    /// theirs): shorter pieces first, so that a token whose first byte or prefix token is rejected is rejected without
    /// asking llama.cpp (<see cref="TokenPrefixes"/>); the rest go to llama.cpp in one call per piece length.
    /// </summary>
    internal static void Resolve(ReadOnlySpan<int> ids, GrammarConstraint grammar, TokenPrefixes prefixes, bool[] allowedFirst, SamplingWorkspace workspace)
    {
        var verdicts = workspace.Verdicts;
        var queue = workspace.ResolveQueue;
        var queued = 0;
        Span<int> perLength = stackalloc int[256];
        perLength.Clear();
        foreach (var id in ids)
        {
            for (var token = id; token >= 0 && verdicts[token] == Unknown; token = prefixes.Prefix[token])
            {
                verdicts[token] = Queued;
                queue[queued++] = token;
                perLength[prefixes.Length[token]]++;
            }
        }

        if (queued == 0)
        {
            return;
        }

        // Counting sort of the queue by piece length: a prefix is always shorter than the token it starts.
        Span<int> levelStarts = stackalloc int[257];
        levelStarts[0] = 0;
        for (var length = 0; length < 256; length++)
        {
            levelStarts[length + 1] = levelStarts[length] + perLength[length];
        }

        var order = workspace.LevelOrder;
        perLength.Clear();
        for (var i = 0; i < queued; i++)
        {
            var token = queue[i];
            var length = prefixes.Length[token];
            order[levelStarts[length] + perLength[length]++] = token;
        }

        var batch = workspace.ResolveBatch;
        for (var length = 0; length < 256; length++)
        {
            var pending = 0;
            foreach (var token in order.AsSpan(levelStarts[length], levelStarts[length + 1] - levelStarts[length]))
            {
                var first = prefixes.FirstByte[token];
                var prefix = prefixes.Prefix[token];
                if ((first >= 0 && !allowedFirst[first]) || (prefix >= 0 && verdicts[prefix] == Rejected))
                {
                    verdicts[token] = Rejected;
                }
                else
                {
                    batch[pending++] = token;
                }
            }

            if (pending == 0)
            {
                continue;
            }

            // Everything asked about is rejected unless llama.cpp keeps it (its answer keeps the batch's order).
            foreach (var token in batch.AsSpan(0, pending))
            {
                verdicts[token] = Rejected;
            }

            var kept = grammar.KeepAllowed(batch.AsSpan(0, pending), workspace);
            foreach (var token in batch.AsSpan(0, kept))
            {
                verdicts[token] = Allowed;
            }
        }
    }

    private static int BestValid(SamplingWorkspace workspace, int bucket)
    {
        var valid = ValidOf(workspace, bucket);
        var best = valid[0];
        foreach (var candidate in valid)
        {
            if (candidate.CompareTo(best) < 0)
            {
                best = candidate;
            }
        }

        return best.Id;
    }

    private static Span<TokenCandidate> ValidOf(SamplingWorkspace workspace, int bucket) =>
        workspace.Valid.AsSpan(workspace.BucketStarts[bucket], workspace.ValidCounts[bucket]);

    /// <summary>
    /// Decides the cut among the allowed tokens found in buckets 0..<paramref name="checkedThrough"/>, if what is still
    /// unchecked (<paramref name="uncheckedMass"/> of softmax numerator) cannot change it. The cut's bucket has its
    /// allowed tokens sorted by <see cref="TokenCandidate"/>'s order.
    /// </summary>
    private static bool TryCut(SamplingSettings settings, int vocabulary, int checkedThrough, double uncheckedMass, in ConstrainedSearchState state, SamplingWorkspace workspace, out int cutBucket, out TruncationCut cut)
    {
        cutBucket = checkedThrough;
        cut = TruncationCut.All;
        var complete = uncheckedMass <= 0 && checkedThrough == SamplingWorkspace.Buckets - 1;
        var topK = settings.TopK > 0 && settings.TopK < vocabulary ? settings.TopK : 0;
        var topP = settings.TopP < 1f;
        var minP = settings.MinP > 0f;
        if (!complete && topK == 0 && !topP && !minP)
        {
            return false;
        }

        // top-k: the first k allowed tokens.
        double lowMass = state.ValidMass;
        double highMass = state.ValidMass + uncheckedMass;
        if (topK > 0 && state.ValidTotal >= topK)
        {
            var before = 0;
            var beforeMass = 0.0;
            var bucket = state.FirstValidBucket;
            while (before + workspace.ValidCounts[bucket] < topK)
            {
                before += workspace.ValidCounts[bucket];
                beforeMass += workspace.ValidMass[bucket];
                bucket++;
            }

            var sorted = ValidOf(workspace, bucket);
            sorted.Sort();
            var keep = topK - before;
            for (var i = 0; i < keep; i++)
            {
                beforeMass += workspace.Weights[sorted[i].Id];
            }

            cutBucket = bucket;
            cut = TruncationCut.KeepFirst(sorted, keep);
            lowMass = highMass = beforeMass;
        }
        else if (topK > 0 && !complete)
        {
            return false;
        }

        // top-p: the nucleus must end at the same token for every possible total of the allowed tokens' mass.
        if (topP)
        {
            var low = settings.TopP * lowMass;
            var high = settings.TopP * highMass;
            if (high > state.ValidMass && !complete)
            {
                return false;
            }

            var (lowBucket, lowBefore) = Crossing(workspace, state, low);
            var (highBucket, highBefore) = Crossing(workspace, state, high);
            if (lowBucket != highBucket)
            {
                return false;
            }

            var sorted = ValidOf(workspace, highBucket);
            sorted.Sort();
            var lowCount = CountToReach(sorted, workspace.Weights, low - lowBefore);
            var highCount = CountToReach(sorted, workspace.Weights, high - highBefore);
            if (lowCount != highCount)
            {
                return false;
            }

            var nucleus = TruncationCut.KeepFirst(sorted, highCount);
            if (nucleus.IsWithin(cut))
            {
                cut = nucleus;
                cutBucket = highBucket;
            }
        }

        // min-p: relative to the best allowed token; decided once a checked token lies below the threshold.
        if (minP)
        {
            var threshold = state.BestValidLogit + MathF.Log(settings.MinP);
            if (!complete && !(state.LowestChecked < threshold))
            {
                return false;
            }

            var floor = new TruncationCut(threshold, int.MaxValue);
            if (floor.IsWithin(cut))
            {
                cut = floor;
                cutBucket = checkedThrough;
            }
        }

        return true;
    }

    private static (int Bucket, double Before) Crossing(SamplingWorkspace workspace, in ConstrainedSearchState state, double target)
    {
        var before = 0.0;
        var bucket = state.FirstValidBucket;
        while (bucket < state.CheckedThrough && before + workspace.ValidMass[bucket] < target)
        {
            before += workspace.ValidMass[bucket];
            bucket++;
        }

        return (bucket, before);
    }

    private static int CountToReach(ReadOnlySpan<TokenCandidate> sorted, float[] weights, double need)
    {
        var taken = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            taken += weights[sorted[i].Id];
            if (taken >= need)
            {
                return i + 1;
            }
        }

        return sorted.Length;
    }

    /// <summary>Draws among the allowed tokens the cut keeps, in buckets up to <paramref name="cutBucket"/>.</summary>
    private static int Draw(float temperature, float best, int cutBucket, TruncationCut cut, double u, SamplingWorkspace workspace)
    {
        var total = 0.0;
        var ties = 0;
        for (var bucket = 0; bucket <= cutBucket; bucket++)
        {
            foreach (var candidate in ValidOf(workspace, bucket))
            {
                if (Keeps(candidate, cut, ref ties))
                {
                    total += Math.Exp((candidate.Logit - best) / (double)temperature);
                }
            }
        }

        var target = u * total;
        var acc = 0.0;
        var last = -1;
        ties = 0;
        for (var bucket = 0; bucket <= cutBucket; bucket++)
        {
            foreach (var candidate in ValidOf(workspace, bucket))
            {
                if (Keeps(candidate, cut, ref ties))
                {
                    last = candidate.Id;
                    acc += Math.Exp((candidate.Logit - best) / (double)temperature);
                    if (acc > target)
                    {
                        return candidate.Id;
                    }
                }
            }
        }

        return last;
    }

    private static bool Keeps(TokenCandidate candidate, TruncationCut cut, ref int ties)
    {
        if (candidate.Logit > cut.Threshold)
        {
            return true;
        }

        return candidate.Logit == cut.Threshold && ties++ < cut.Ties;
    }
}
