using Llama4.Testing;

namespace Llama4.Core.Tests;

/// <summary>The engine pair over the default tiny model: 4 sequences and a 16384-token context each.</summary>
public sealed class KvReuseFixture : EnginePairFixture
{
    public static Llama4EngineOptions Create(bool reuse, int sequences = 4, int contextSize = 16384)
    {
        var options = EngineFixture.CreateOptions(TinyModelFiles.Default);
        options.ContextSize = contextSize;
        options.MaxParallelSequences = sequences;
        options.ReuseKvCache = reuse;
        return options;
    }

    protected override Llama4EngineOptions CreateOptions(bool reuse) => Create(reuse);
}
