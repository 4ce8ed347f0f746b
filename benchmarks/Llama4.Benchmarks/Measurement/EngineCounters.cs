using Llama4.Core;

namespace Llama4.Benchmarks.Measurement;

/// <summary>What the engine's counters moved by during one run (and its all-time widest batch).</summary>
internal sealed record EngineCounters(long DecodeCalls, long MultiSequenceDecodeCalls, long TokensDecoded, int MaxSequencesInOneDecode)
{
    public static EngineCounters Between(Llama4EngineStatistics before, Llama4EngineStatistics after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return new EngineCounters(
            after.DecodeCalls - before.DecodeCalls,
            after.MultiSequenceDecodeCalls - before.MultiSequenceDecodeCalls,
            after.TokensDecoded - before.TokensDecoded,
            after.MaxSequencesInOneDecode);
    }
}
