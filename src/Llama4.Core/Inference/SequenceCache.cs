using LLama.Batched;
using LLama.Native;

namespace Llama4.Core.Inference;

/// <summary>
/// The llama.cpp sequences of one context: the ones running requests and the idle ones kept after their request ended,
/// so that a later request whose prompt starts with the same tokens decodes only what is new. Owned by the inference
/// loop (not thread-safe). It decides where a request runs (<see cref="Plan"/>), performs the KV operations
/// (<see cref="Apply"/>) and keeps the cell accounting that admission relies on.
/// </summary>
/// <remarks>
/// Chunked attention: llama.cpp's chunked-attention (SWA) layers see only the current 8192-token chunk, and the cells of
/// earlier chunks of an idle sequence may be overwritten by any other sequence (llama.cpp keeps each sequence's SWA cells
/// a contiguous range ending at its last position). A prefix of length P is therefore reusable only when the cache still
/// holds the cells of P's chunk up to P; otherwise reuse stops at the start of that chunk, which needs no SWA cells.
/// Every reuse is checked against llama.cpp's own positions afterwards, and a failed check re-processes in full.
/// </remarks>
internal sealed class SequenceCache
{
    private readonly List<KvSequence> _sequences = [];
    private readonly int _maxSequences;
    private readonly int _contextSize;
    private readonly bool _unified;
    private readonly int _chunkSize;
    private readonly int _maxIdle;
    private KvCellMap _cells = new();
    private long _clock;

    /// <param name="executor">The executor whose context holds the sequences.</param>
    /// <param name="maxSequences">The sequence slots (llama.cpp's <c>n_seq_max</c>): running plus idle sequences.</param>
    /// <param name="contextSize">The cells of the unified cache (ignored with one stream per sequence).</param>
    /// <param name="unified">Whether all sequences share one KV cache (prefixes can then share cells).</param>
    /// <param name="chunkSize">The chunked-attention window (llama.cpp's <c>n_swa</c>); 0 when the model has none.</param>
    /// <param name="reuse">Whether finished sequences are kept and matched against new requests.</param>
    /// <param name="maxIdle">The most idle sequences kept.</param>
    public SequenceCache(BatchedExecutor executor, int maxSequences, int contextSize, bool unified, int chunkSize, bool reuse, int maxIdle)
    {
        Executor = executor;
        _maxSequences = maxSequences;
        _contextSize = contextSize;
        _unified = unified;
        _chunkSize = chunkSize;
        ReuseEnabled = reuse;
        _maxIdle = reuse ? maxIdle : 0;
    }

    /// <summary>Gets or sets the executor (replaced after a failed decode; call <see cref="Clear"/> then).</summary>
    public BatchedExecutor Executor { get; set; }

    public bool ReuseEnabled { get; }

    public IReadOnlyList<KvSequence> Sequences => _sequences;

    public int Count => _sequences.Count;

    public int IdleCount => _sequences.Count(s => s.IsIdle);

    /// <summary>Gets the distinct KV cells held by all sequences (shared prefix cells count once).</summary>
    public int DistinctCells => _cells.DistinctCells;

    /// <summary>Gets the number of idle sequences evicted so far.</summary>
    public long Evictions { get; private set; }

    /// <summary>Gets the number of reuses that llama.cpp's positions contradicted (the request was re-processed in full).</summary>
    public long RejectedReuses { get; private set; }

    private SafeLLamaContextHandle Context => Executor.Context.NativeHandle;

    /// <summary>
    /// Chooses where a request runs and makes room for it (evicting idle sequences, least recently used first), or
    /// returns null when it must wait for running requests to finish.
    /// </summary>
    /// <param name="prompt">The request's prompt tokens.</param>
    /// <param name="conversationId">The request's conversation id, or null.</param>
    /// <param name="reservedOutput">Cells the request reserves for its output.</param>
    /// <param name="reservedByRunning">Cells running requests still reserve for their output.</param>
    public KvPlacement? Plan(ReadOnlySpan<int> prompt, string? conversationId, int reservedOutput, long reservedByRunning)
    {
        var placement = ChooseSequence(prompt, conversationId);
        if (Place(placement, prompt.Length, reservedOutput, reservedByRunning) is { } placed)
        {
            return placed;
        }

        // The fork's source is kept intact for its own conversation, but when it is idle and holds the cells the request
        // needs, keeping it would make the request (and every request queued behind it) wait for ever: take it over
        // (its shared prefix is reused, its tail dropped), and failing that start afresh with every idle sequence
        // evictable.
        if (placement is { Kind: KvPlacementKind.Fork, Sequence: { IsIdle: true } source } && !source.Conversation.RequiresInference)
        {
            if (Place(placement with { Kind = KvPlacementKind.TakeOver }, prompt.Length, reservedOutput, reservedByRunning) is { } takenOver)
            {
                Evictions++;
                return takenOver;
            }

            return Place(new KvPlacement(KvPlacementKind.Fresh, null, 0, 0), prompt.Length, reservedOutput, reservedByRunning);
        }

        return null;
    }

    /// <summary>Makes room for a placement (evicting idle sequences) and returns it, or null when it does not fit now.</summary>
    private KvPlacement? Place(KvPlacement placement, int promptLength, int reservedOutput, long reservedByRunning)
    {
        var kind = placement.Kind;
        var sequence = placement.Sequence;
        var reused = placement.ReusedTokens;

        // A new sequence needs a free slot: the least recently used idle sequence gives its own. When that is the fork's
        // source, it is taken over instead (its prefix is reused, its tail dropped).
        KvSequence? slotVictim = null;
        if (kind != KvPlacementKind.TakeOver && _sequences.Count >= _maxSequences)
        {
            slotVictim = LeastRecentlyUsedIdle(null, null);
            if (slotVictim is null)
            {
                return null;
            }

            if (slotVictim == sequence)
            {
                // Its own conversation loses the cached tail: that counts as an eviction.
                kind = KvPlacementKind.TakeOver;
                slotVictim = null;
                Evictions++;
            }
        }

        if (_unified)
        {
            var free = _contextSize - _cells.DistinctCells - reservedByRunning;
            if (slotVictim is not null)
            {
                free += KvCellMap.ExclusiveCellsFrom(slotVictim.Cells, 0);
            }

            if (kind == KvPlacementKind.TakeOver)
            {
                free += KvCellMap.ExclusiveCellsFrom(sequence!.Cells, reused);
            }

            var needed = (long)promptLength - reused + reservedOutput;
            if (needed > free)
            {
                long evictable = 0;
                foreach (var idle in _sequences)
                {
                    if (idle.IsIdle && !idle.Conversation.RequiresInference && idle != sequence && idle != slotVictim)
                    {
                        evictable += KvCellMap.ExclusiveCellsFrom(idle.Cells, 0);
                    }
                }

                if (needed > free + evictable)
                {
                    return null;
                }

                while (needed > free && LeastRecentlyUsedIdle(sequence, slotVictim) is { } victim)
                {
                    free += KvCellMap.ExclusiveCellsFrom(victim.Cells, 0);
                    Evict(victim);
                }

                if (needed > free)
                {
                    return null;
                }
            }
        }

        if (slotVictim is not null)
        {
            Evict(slotVictim);
        }

        return placement with { Kind = kind };
    }

    /// <summary>Performs a placement: takes the sequence over or creates one, and removes or copies cells.</summary>
    /// <param name="placement">The placement from <see cref="Plan"/>.</param>
    /// <param name="conversationId">The request's conversation id, or null.</param>
    /// <param name="preambleLength">The prompt's preamble length in tokens.</param>
    /// <param name="reused">The prompt tokens whose cells the sequence now holds: the planned reuse, or 0 when llama.cpp's positions contradicted it.</param>
    /// <returns>The request's sequence; its ledger holds exactly the reused prompt prefix.</returns>
    public KvSequence Apply(KvPlacement placement, string? conversationId, int preambleLength, out int reused)
    {
        reused = placement.ReusedTokens;
        KvSequence sequence;
        switch (placement.Kind)
        {
            case KvPlacementKind.TakeOver:
                sequence = placement.Sequence!;
                if (!Truncate(sequence, reused))
                {
                    reused = 0;
                }

                break;
            case KvPlacementKind.Fork:
                sequence = Create();
                if (!CopyPrefix(placement.Sequence!, sequence, reused))
                {
                    reused = 0;
                }

                break;
            default:
                sequence = Create();
                reused = 0;
                break;
        }

        Assign(sequence, conversationId, preambleLength);
        return sequence;
    }

    /// <summary>Sets what a sequence answers to and marks it used now.</summary>
    public void Assign(KvSequence sequence, string? conversationId, int preambleLength)
    {
        if (conversationId is not null)
        {
            // One sequence answers to a conversation id: the newest.
            foreach (var other in _sequences)
            {
                if (other != sequence && other.ConversationId == conversationId)
                {
                    other.ConversationId = null;
                }
            }
        }

        sequence.ConversationId = conversationId;
        sequence.PreambleLength = preambleLength;
        sequence.LastUsed = ++_clock;
    }

    /// <summary>
    /// Makes room for a new sequence of <paramref name="cells"/> cells (a restored session), evicting idle sequences
    /// least recently used first; false when running requests hold too much and it must wait.
    /// </summary>
    public bool TryMakeRoom(int cells, long reservedByRunning)
    {
        bool Fits() => _sequences.Count < _maxSequences && (!_unified || _cells.DistinctCells + reservedByRunning + cells <= _contextSize);
        while (!Fits())
        {
            if (!EvictLeastRecentlyUsed())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Queues prompt tokens on a sequence.</summary>
    public void Prompt(KvSequence sequence, ReadOnlySpan<int> tokens)
    {
        if (tokens.IsEmpty)
        {
            return;
        }

        var native = new LLamaToken[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            native[i] = tokens[i];
        }

        sequence.Conversation.Prompt(native.AsSpan());
        sequence.AddQueued(tokens);
        sequence.Cells = _cells.Append(sequence.Cells, tokens.Length);
    }

    /// <summary>Records an image that was evaluated into a sequence's cells (nothing of the sequence may be queued).</summary>
    public void AddEvaluatedImage(KvSequence sequence, ReadOnlySpan<int> ids)
    {
        sequence.AddQueued(ids);
        sequence.MarkDecoded();
        sequence.Cells = _cells.Append(sequence.Cells, ids.Length);
    }

    /// <summary>Queues one generated token on a sequence.</summary>
    public void Prompt(KvSequence sequence, LLamaToken token)
    {
        sequence.Conversation.Prompt(token);
        sequence.AddQueued((int)token);
        sequence.Cells = _cells.Append(sequence.Cells, 1);
    }

    /// <summary>Gives a sequence back when its request ends: it stays idle for reuse, or is evicted.</summary>
    public void Release(KvSequence sequence)
    {
        sequence.Owner = null;
        sequence.LastUsed = ++_clock;
        if (!ReuseEnabled)
        {
            Evict(sequence);
            return;
        }

        while (IdleCount > _maxIdle && LeastRecentlyUsedIdle(null, null) is { } victim)
        {
            Evict(victim);
        }
    }

    /// <summary>Records, after a decode, which sequences have all their queued tokens decoded.</summary>
    public void AfterDecode()
    {
        foreach (var sequence in _sequences)
        {
            if (!sequence.Conversation.RequiresInference)
            {
                sequence.MarkDecoded();
            }
        }
    }

    /// <summary>Evicts the least recently used idle sequence; false when there is none.</summary>
    public bool EvictLeastRecentlyUsed()
    {
        if (LeastRecentlyUsedIdle(null, null) is not { } victim)
        {
            return false;
        }

        Evict(victim);
        return true;
    }

    /// <summary>Frees a sequence and its cells.</summary>
    public void Evict(KvSequence sequence)
    {
        sequence.Conversation.Dispose();
        _cells.Release(sequence.Cells);
        sequence.Cells = null;
        _sequences.Remove(sequence);
        if (sequence.IsIdle)
        {
            Evictions++;
        }
    }

    /// <summary>Forgets every sequence (after the executor that held them was disposed).</summary>
    public void Clear()
    {
        _sequences.Clear();
        _cells = new KvCellMap();
    }

    /// <summary>Creates an empty sequence in a free slot.</summary>
    public KvSequence Create()
    {
        if (_sequences.Count >= _maxSequences)
        {
            throw new InvalidOperationException($"All {_maxSequences} sequence slots are in use.");
        }

        var sequence = new KvSequence(Executor.Create()) { LastUsed = ++_clock };
        _sequences.Add(sequence);
        return sequence;
    }

    /// <summary>Registers restored cells: the sequence's ledger must already hold the restored tokens.</summary>
    public void AdoptRestored(KvSequence sequence)
    {
        sequence.Cells = _cells.Append(null, sequence.Tokens.Count);
        sequence.LastUsed = ++_clock;
    }

    /// <summary>Checks llama.cpp's positions for a sequence that should hold exactly <paramref name="length"/> decoded tokens.</summary>
    public bool PositionsMatch(KvSequence sequence, int length)
    {
        var id = sequence.Conversation.ConversationId;
        var max = Context.MemorySequenceMaxPosition(id).Value;
        var min = Context.MemorySequenceMinPosition(id).Value;
        if (length == 0)
        {
            return max == -1;
        }

        if (_chunkSize <= 0)
        {
            return max == length - 1 && min == 0;
        }

        var chunkStart = length / _chunkSize * _chunkSize;
        return (max == length - 1 && min >= 0 && min <= chunkStart)

            // At a chunk boundary the chunked layers need no earlier cells, and llama.cpp may have dropped all of them.
            || (max == -1 && length == chunkStart);
    }

    /// <summary>Gets the sequence that answers to a conversation id, or null.</summary>
    public KvSequence? Find(string conversationId) => _sequences.Find(s => s.ConversationId == conversationId);

    /// <summary>Gets the sequence whose decoded tokens share the longest prefix with <paramref name="tokens"/>, or null.</summary>
    public KvSequence? FindLongestMatch(ReadOnlySpan<int> tokens, out int matched)
    {
        KvSequence? best = null;
        matched = 0;
        foreach (var sequence in _sequences)
        {
            var common = tokens.CommonPrefixLength(sequence.DecodedTokens);
            if (common > matched)
            {
                best = sequence;
                matched = common;
            }
        }

        return best;
    }

    private KvPlacement ChooseSequence(ReadOnlySpan<int> prompt, string? conversationId)
    {
        if (!ReuseEnabled || prompt.Length < 2)
        {
            return new KvPlacement(KvPlacementKind.Fresh, null, 0, 0);
        }

        // At least one prompt token is always decoded: it produces the logits of the first output token.
        var matchable = prompt[..^1];
        KvSequence? takeOver = null;
        int takeOverMatched = 0, takeOverReused = -1;
        KvSequence? source = null;
        int sourceMatched = 0, sourceReused = 0;
        foreach (var sequence in _sequences)
        {
            // An image is evaluated whole: a match (or a chunk limit) that ends inside one reuses up to its start.
            var matched = ImageTokenIds.AlignToImageStart(prompt, matchable.CommonPrefixLength(sequence.DecodedTokens));
            var sameConversation = conversationId is not null && sequence.ConversationId == conversationId;
            if (matched == 0 && !sameConversation)
            {
                continue;
            }

            var reused = ImageTokenIds.AlignToImageStart(prompt, Reusable(sequence, matched));
            if (sequence.IsIdle && !sequence.Conversation.RequiresInference && MayTakeOver(sequence, conversationId, matched)
                && (reused > takeOverReused || (reused == takeOverReused && sameConversation)))
            {
                takeOver = sequence;
                takeOverMatched = matched;
                takeOverReused = reused;
            }

            if (reused > sourceReused)
            {
                source = sequence;
                sourceMatched = matched;
                sourceReused = reused;
            }
        }

        if (takeOver is not null && takeOverReused >= sourceReused)
        {
            return new KvPlacement(KvPlacementKind.TakeOver, takeOver, takeOverMatched, takeOverReused);
        }

        return source is not null
            ? new KvPlacement(KvPlacementKind.Fork, source, sourceMatched, sourceReused)
            : new KvPlacement(KvPlacementKind.Fresh, null, 0, 0);
    }

    /// <summary>
    /// An idle sequence may be taken over (its tail removed) only by its own conversation: one with the same id, or,
    /// for sequences without an id, one that shares more than the common preamble or extends it. Otherwise its prefix is
    /// copied into a new sequence and it stays intact for its own conversation.
    /// </summary>
    private static bool MayTakeOver(KvSequence sequence, string? conversationId, int matched) =>
        sequence.ConversationId is not null
            ? sequence.ConversationId == conversationId
            : matched > sequence.PreambleLength || matched == sequence.DecodedCount;

    /// <summary>How much of a matched prefix can be reused, given what the chunked-attention cache still holds.</summary>
    private int Reusable(KvSequence sequence, int matched)
    {
        if (matched <= 0 || _chunkSize <= 0)
        {
            return Math.Max(0, matched);
        }

        var chunkStart = matched / _chunkSize * _chunkSize;
        if (chunkStart == matched)
        {
            return matched;
        }

        var min = Context.MemorySequenceMinPosition(sequence.Conversation.ConversationId).Value;
        return min >= 0 && min <= chunkStart ? matched : chunkStart;
    }

    private KvSequence? LeastRecentlyUsedIdle(KvSequence? keep, KvSequence? alsoKeep)
    {
        KvSequence? oldest = null;
        foreach (var sequence in _sequences)
        {
            // A sequence with tokens still queued must not be disposed: its batch would decode into a recycled id.
            if (sequence.IsIdle && !sequence.Conversation.RequiresInference && sequence != keep && sequence != alsoKeep
                && (oldest is null || sequence.LastUsed < oldest.LastUsed))
            {
                oldest = sequence;
            }
        }

        return oldest;
    }

    private bool Truncate(KvSequence sequence, int length)
    {
        if (length >= sequence.Tokens.Count)
        {
            return true;
        }

        sequence.Conversation.Modify((_, kv) =>
        {
            kv.Remove((LLamaPos)length, (LLamaPos)(-1));
            return length;
        });
        sequence.Cells = _cells.Truncate(sequence.Cells, length);
        sequence.TruncateTo(length);
        if (PositionsMatch(sequence, length))
        {
            return true;
        }

        Reject(sequence);
        return false;
    }

    private bool CopyPrefix(KvSequence source, KvSequence target, int length)
    {
        if (length <= 0)
        {
            return true;
        }

        var context = Context;
        var from = source.Conversation.ConversationId;
        var to = target.Conversation.ConversationId;
        target.Conversation.Modify((_, kv) =>
        {
            if (_unified)
            {
                context.MemorySequenceCopy(from, to, 0, length);
            }
            else
            {
                // Across KV streams llama.cpp copies whole streams only (a partial copy aborts the process): copy it all,
                // then cut the copy.
                context.MemorySequenceCopy(from, to, -1, -1);
                kv.Remove((LLamaPos)length, (LLamaPos)(-1));
            }

            return length;
        });
        target.Cells = _unified ? KvCellMap.Share(source.Cells, length) : _cells.Append(null, length);
        target.SetDecoded(source.DecodedTokens[..length]);
        if (PositionsMatch(target, length))
        {
            return true;
        }

        Reject(target);
        return false;
    }

    /// <summary>Empties a sequence whose cells llama.cpp does not hold as expected; it is then processed from scratch.</summary>
    private void Reject(KvSequence sequence)
    {
        RejectedReuses++;
        sequence.Conversation.Modify((_, kv) =>
        {
            kv.Remove((LLamaPos)0, (LLamaPos)(-1));
            return 0;
        });
        _cells.Release(sequence.Cells);
        sequence.Cells = null;
        sequence.TruncateTo(0);
    }
}
