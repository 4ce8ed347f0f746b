namespace Llama4.Core;

/// <summary>A snapshot of the engine's counters.</summary>
/// <param name="LiveSequences">Sequences that currently hold cells in the KV cache.</param>
/// <param name="QueuedRequests">Requests waiting for a sequence slot or context room.</param>
/// <param name="KvCellsInUse">KV cells used or reserved by live sequences.</param>
/// <param name="CompletedRequests">Requests finished since the engine loaded (including failed and cancelled ones).</param>
/// <param name="DecodeCalls">Calls to llama.cpp's decode.</param>
/// <param name="MultiSequenceDecodeCalls">Decode calls whose batch carried tokens of more than one sequence.</param>
/// <param name="MaxSequencesInOneDecode">The most sequences one decode call carried.</param>
/// <param name="TokensDecoded">Tokens decoded (prompt and generated).</param>
/// <param name="TokensGenerated">Tokens sampled.</param>
public sealed record Llama4EngineStatistics(
    int LiveSequences,
    int QueuedRequests,
    int KvCellsInUse,
    long CompletedRequests,
    long DecodeCalls,
    long MultiSequenceDecodeCalls,
    int MaxSequencesInOneDecode,
    long TokensDecoded,
    long TokensGenerated);
