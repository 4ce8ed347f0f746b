namespace Llama4.Benchmarks.Cli;

/// <summary>The generated models the runner can measure.</summary>
internal enum BenchmarkModel
{
    /// <summary><c>TinyModelOptions.Default</c>: about 2.7 MB, compute- and overhead-bound.</summary>
    Tiny,

    /// <summary><c>TinyModelOptions.Larger</c>: about 430 MB; a single-token decode streams its weights from memory.</summary>
    Larger,
}
