namespace Llama4.Benchmarks.Cli;

/// <summary>The generated models the runner can measure.</summary>
internal enum BenchmarkModel
{
    /// <summary><c>TinyModelOptions.Default</c>: about 2.7 MB, compute- and overhead-bound.</summary>
    Tiny,

    /// <summary><c>TinyModelOptions.Larger</c>: about 430 MB; a single-token decode streams its weights from memory.</summary>
    Larger,

    /// <summary>
    /// <c>TinyModelOptions.RealVocabulary</c>: the default tiny layers with Llama 4's real 202,048-token vocabulary (about
    /// 59 MB): every per-token cost that grows with the vocabulary (sampling, grammars) is the real one.
    /// </summary>
    RealVocabulary,
}
