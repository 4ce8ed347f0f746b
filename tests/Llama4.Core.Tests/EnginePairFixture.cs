namespace Llama4.Core.Tests;

/// <summary>
/// Two engines over the same model for KV-reuse tests: one that reuses cached sequences and one that re-processes every
/// prompt (the reference for "the same prompt processed from scratch"). Derived fixtures choose the options.
/// </summary>
public abstract class EnginePairFixture : IAsyncLifetime
{
    private Llama4Engine? _reusing;
    private Llama4Engine? _stateless;

    public Llama4Engine Reusing => _reusing ?? throw new InvalidOperationException("Not initialised.");

    public Llama4Engine Stateless => _stateless ?? throw new InvalidOperationException("Not initialised.");

    public async ValueTask InitializeAsync()
    {
        _reusing = await Llama4Engine.LoadAsync(CreateOptions(reuse: true));
        _stateless = await Llama4Engine.LoadAsync(CreateOptions(reuse: false));
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

        GC.SuppressFinalize(this);
    }

    /// <summary>The options of either engine.</summary>
    protected abstract Llama4EngineOptions CreateOptions(bool reuse);
}
