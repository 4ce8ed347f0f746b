using Llama4.Core;

namespace Llama4.Testing;

/// <summary>
/// One engine over the default tiny model, shared by the tests of a class (xunit class fixture). 16 parallel
/// sequences and the default 131072-token context.
/// </summary>
public class EngineFixture : IAsyncLifetime
{
    private Llama4Engine? _engine;

    /// <summary>A fixture over the default tiny model.</summary>
    public EngineFixture()
        : this(TinyModelFiles.Default)
    {
    }

    /// <summary>A fixture over another generated model.</summary>
    /// <param name="modelPath">The model's path.</param>
    protected EngineFixture(string modelPath)
    {
        ModelPath = modelPath;
    }

    /// <summary>Gets the loaded engine.</summary>
    public Llama4Engine Engine => _engine ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>Gets the model path.</summary>
    public string ModelPath { get; }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var options = CreateOptions(ModelPath);
        Configure(options);
        _engine = await Llama4Engine.LoadAsync(options);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Lets a derived fixture change the options before the engine loads.</summary>
    protected virtual void Configure(Llama4EngineOptions options)
    {
    }

    /// <summary>The options the fixture loads with; tests that need their own engine start from these.</summary>
    public static Llama4EngineOptions CreateOptions(string modelPath) => new()
    {
        ModelPath = modelPath,
        MaxParallelSequences = 16,
        Backend = Llama4Backend.Cpu,
        Threads = 2,
    };
}
