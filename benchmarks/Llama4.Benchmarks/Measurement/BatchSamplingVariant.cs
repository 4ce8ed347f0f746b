using Llama4.Core;

namespace Llama4.Benchmarks.Measurement;

/// <summary>One configuration of the batch sampling probe: a grammar (or none) and whether sequences are sampled in parallel.</summary>
internal sealed record BatchSamplingVariant(string Name, Llama4Grammar? Grammar, bool Parallel);
