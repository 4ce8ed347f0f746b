using Llama4.Core;
using Llama4.Testing;

namespace Llama4.Hosting.Tests.Resilience;

/// <summary>The tiny model with two sequences, so that admission control is easy to saturate.</summary>
public sealed class ResilienceEngineFixture : EngineFixture
{
    protected override void Configure(Llama4EngineOptions options) => options.MaxParallelSequences = 2;
}
