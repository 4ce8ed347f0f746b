namespace Llama4.Benchmarks.Measurement;

/// <summary>How one request of an open-loop run ended, timed from its scheduled arrival.</summary>
internal readonly record struct LoadRequestOutcome(LoadOutcomeKind Kind, TimeSpan Latency, TimeSpan TimeToFirstToken, int OutputTokens);
