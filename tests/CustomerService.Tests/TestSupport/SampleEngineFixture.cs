using Llama4.Core;
using Llama4.Testing;

namespace CustomerService.Tests.TestSupport;

/// <summary>One tiny-model engine per test class, configured as the sample configures it (8192 tokens, 2 sequences).</summary>
public sealed class SampleEngineFixture : EngineFixture
{
    protected override void Configure(Llama4EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ContextSize = 8192;
        options.MaxParallelSequences = 2;
    }
}
