namespace Llama4.Core.Sessions;

/// <summary>A sequence's state copied on the inference loop, to be written to a stream off the loop.</summary>
internal sealed record SessionSnapshot(SessionHeader Header, int[] Tokens, NativeStateBuffer State);
