namespace Llama4.Core.Tests.Memory;

/// <summary>
/// The accuracy documented for <see cref="Llama4MemoryEstimate.ComputeBufferBytes"/>: the estimate lies between
/// 1 / <see cref="Under"/> and <see cref="Over"/> times what llama.cpp allocates.
/// </summary>
internal static class ComputeBufferBounds
{
    public const double Over = 1.30;

    public const double Under = 1.30;
}
