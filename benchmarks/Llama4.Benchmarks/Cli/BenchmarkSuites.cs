namespace Llama4.Benchmarks.Cli;

/// <summary>The parts of the runner that <c>--suite</c> selects; each writes its own sections of the report.</summary>
[Flags]
internal enum BenchmarkSuites
{
    /// <summary>Nothing selected.</summary>
    None = 0,

    /// <summary>Scenarios 1-3: single stream, 1/4/16 concurrent requests and the LLamaSharp baseline, against raw loops.</summary>
    Throughput = 1,

    /// <summary>Constrained generation: JSON-schema structured output and a required tool call against free text.</summary>
    Constrained = 2,

    /// <summary>JSON Schema to GBNF: the managed converter, the GBNF validator and the tool-call grammar set (no model).</summary>
    Converter = 4,

    /// <summary>
    /// Long conversations on the tiny model in a 128k context: time to first token of the next turn with KV-cache reuse
    /// against full re-processing at several history sizes, and a prefill past 120k tokens with the process's memory.
    /// </summary>
    Context = 8,

    /// <summary>
    /// Latency percentiles and throughput under an open-loop load at 1x, 2x and 4x the measured capacity, with and
    /// without admission control (Llama4ResilientChatClient), on the tiny model.
    /// </summary>
    Load = 16,

    /// <summary>
    /// Sampling at Llama 4's real vocabulary size, on the real-vocabulary model whatever <c>--model</c> says: the
    /// engine's sampler with Meta's defaults, top-k 40, greedy, a required tool call and a JSON schema, one and 8/16
    /// concurrent requests, against the raw LLamaSharp loop with its own sampling pipeline; CPU time and allocations
    /// per token; and the samplers alone on fixed logits.
    /// </summary>
    Sampling = 32,

    /// <summary>Every suite (the default).</summary>
    All = Throughput | Constrained | Converter | Context | Load | Sampling,
}
