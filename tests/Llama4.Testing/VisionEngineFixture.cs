using Llama4.Core;
using Llama4.TinyModel;

namespace Llama4.Testing;

/// <summary>
/// One engine over the default tiny model with the matching tiny vision projector (56-pixel tiles, 4 tokens per tile),
/// shared by the tests of a class. 4 parallel sequences, a 4096-token context.
/// </summary>
public sealed class VisionEngineFixture : EngineFixture
{
    /// <summary>Gets the projector's path.</summary>
    public string ProjectorPath { get; } = TinyModelCache.GetOrCreateProjector(TinyProjectorOptions.ForModel(TinyModelOptions.Default));

    /// <inheritdoc />
    protected override void Configure(Llama4EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProjectorPath = ProjectorPath;
        options.MaxParallelSequences = 4;
        options.ContextSize = 4096;
    }
}
