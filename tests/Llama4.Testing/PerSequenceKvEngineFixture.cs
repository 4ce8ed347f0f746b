using Llama4.Core;

namespace Llama4.Testing;

/// <summary>
/// The shared engine with one KV stream per sequence (8192 cells each): many concurrent requests with long prompts
/// (tool definitions) do not attend over each other's cells, which keeps such test classes fast.
/// </summary>
public sealed class PerSequenceKvEngineFixture : EngineFixture
{
    /// <inheritdoc />
    protected override void Configure(Llama4EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UnifiedKvCache = false;
    }
}
