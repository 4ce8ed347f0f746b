using Llama4.Core;

namespace Llama4.Testing;

/// <summary>
/// One engine over the tiny model with Llama 4's real 202,048-token vocabulary
/// (<see cref="TinyModelFiles.RealVocabulary"/>), shared by the tests of a class: sampling, grammars and tokenization
/// at the real vocabulary's size. 16 parallel sequences, 8192-token context.
/// </summary>
public sealed class RealVocabularyEngineFixture : EngineFixture
{
    /// <summary>A fixture over the real-vocabulary model.</summary>
    public RealVocabularyEngineFixture()
        : base(TinyModelFiles.RealVocabulary)
    {
    }

    /// <inheritdoc />
    protected override void Configure(Llama4EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ContextSize = 8192;
    }
}
