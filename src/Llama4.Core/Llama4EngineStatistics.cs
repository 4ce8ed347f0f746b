namespace Llama4.Core;

/// <summary>A snapshot of the engine's counters (<see cref="Llama4Engine.GetStatistics"/>).</summary>
public sealed record Llama4EngineStatistics
{
    /// <summary>Gets the sequences running a request.</summary>
    public int LiveSequences { get; init; }

    /// <summary>Gets the finished sequences kept in the KV cache for reuse by later requests.</summary>
    public int IdleSequences { get; init; }

    /// <summary>Gets the requests waiting for a sequence slot or context room.</summary>
    public int QueuedRequests { get; init; }

    /// <summary>Gets the KV cells held by running and idle sequences (cells of a shared prefix count once) plus the output cells running requests reserve.</summary>
    public int KvCellsInUse { get; init; }

    /// <summary>Gets the requests finished since the engine loaded (including failed and cancelled ones).</summary>
    public long CompletedRequests { get; init; }

    /// <summary>Gets the calls to llama.cpp's decode.</summary>
    public long DecodeCalls { get; init; }

    /// <summary>Gets the decode calls whose batch carried tokens of more than one sequence.</summary>
    public long MultiSequenceDecodeCalls { get; init; }

    /// <summary>Gets the most sequences one decode call carried.</summary>
    public int MaxSequencesInOneDecode { get; init; }

    /// <summary>Gets the tokens decoded (prompt and generated).</summary>
    public long TokensDecoded { get; init; }

    /// <summary>Gets the tokens sampled.</summary>
    public long TokensGenerated { get; init; }

    /// <summary>Gets the prompt tokens of admitted requests that had to be decoded (not found in the KV cache).</summary>
    public long PromptTokensProcessed { get; init; }

    /// <summary>Gets the prompt tokens of admitted requests whose KV cells were reused from the cache.</summary>
    public long PromptTokensReused { get; init; }

    /// <summary>Gets the admitted requests that reused at least one cached prompt token.</summary>
    public long RequestsReusingCache { get; init; }

    /// <summary>
    /// Gets the requests that reused less than they matched because the chunked-attention cache no longer held the
    /// matched prefix's chunk (they re-processed from the start of that 8192-token chunk; see <see cref="Llama4EngineOptions.FullSizeSwaCache"/>).
    /// </summary>
    public long ChunkLimitedReuses { get; init; }

    /// <summary>Gets the idle sequences evicted to make room (least recently used first).</summary>
    public long EvictedSequences { get; init; }

    /// <summary>Gets the reuses that llama.cpp's cache positions contradicted; those requests were re-processed in full.</summary>
    public long RejectedReuses { get; init; }
}
