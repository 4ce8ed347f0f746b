using Llama4.Core;
using Llama4.Testing;

namespace Llama4.Extensions.AI.Tests;

/// <summary>One engine with a small context (4,096 tokens, 4 sequences), so that oversized inputs overflow it quickly.</summary>
public sealed class AbuseEngineFixture : EngineFixture
{
    /// <inheritdoc />
    protected override void Configure(Llama4EngineOptions options)
    {
        options.ContextSize = 4096;
        options.MaxParallelSequences = 4;
    }
}
