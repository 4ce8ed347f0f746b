using Llama4.Testing;

namespace Llama4.Core.Tests;

/// <summary>
/// Two engines over the default tiny model for KV-reuse tests: one that reuses cached sequences and one that
/// re-processes every prompt (the reference for "the same conversation run alone, from scratch"). 4 sequences and a
/// 16384-token context each.
/// </summary>
public sealed class KvReuseFixture : IAsyncLifetime
{
    private Llama4Engine? _reusing;
    private Llama4Engine? _stateless;

    public Llama4Engine Reusing => _reusing ?? throw new InvalidOperationException("Not initialised.");

    public Llama4Engine Stateless => _stateless ?? throw new InvalidOperationException("Not initialised.");

    public async ValueTask InitializeAsync()
    {
        _reusing = await Llama4Engine.LoadAsync(Create(reuse: true));
        _stateless = await Llama4Engine.LoadAsync(Create(reuse: false));
    }

    public async ValueTask DisposeAsync()
    {
        if (_reusing is not null)
        {
            await _reusing.DisposeAsync();
        }

        if (_stateless is not null)
        {
            await _stateless.DisposeAsync();
        }
    }

    public static Llama4EngineOptions Create(bool reuse, int sequences = 4, int contextSize = 16384)
    {
        var options = EngineFixture.CreateOptions(TinyModelFiles.Default);
        options.ContextSize = contextSize;
        options.MaxParallelSequences = sequences;
        options.ReuseKvCache = reuse;
        return options;
    }
}
