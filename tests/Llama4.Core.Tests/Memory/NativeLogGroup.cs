namespace Llama4.Core.Tests.Memory;

/// <summary>
/// Tests that read llama.cpp's log: its log callback is process-wide and goes to the logger of the engine loaded last,
/// so these tests run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class NativeLogGroup
{
}
