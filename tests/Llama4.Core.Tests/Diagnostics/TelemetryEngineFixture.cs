using Llama4.Testing;

namespace Llama4.Core.Tests.Diagnostics;

/// <summary>An engine over the default tiny model whose meter comes from a factory of its own.</summary>
public sealed class TelemetryEngineFixture : IAsyncLifetime
{
    private readonly TestMeterFactory _meterFactory = new();
    private Llama4Engine? _engine;

    public Llama4Engine Engine => _engine ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>Gets the factory the engine's meter came from (instruments of this engine have it as their meter's scope).</summary>
    public object MeterScope => _meterFactory;

    public async ValueTask InitializeAsync()
    {
        var options = EngineFixture.CreateOptions(TinyModelFiles.Default);
        options.MaxParallelSequences = 4;
        options.ContextSize = 8192;
        _engine = await Llama4Engine.LoadAsync(options, loggerFactory: null, _meterFactory);
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        _meterFactory.Dispose();
    }
}
