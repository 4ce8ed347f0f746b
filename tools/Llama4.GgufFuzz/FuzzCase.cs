namespace Llama4.GgufFuzz;

/// <summary>One corrupted file.</summary>
/// <param name="Index">The file's index in its run.</param>
/// <param name="Family">The kind of corruption.</param>
/// <param name="Description">What exactly was changed.</param>
/// <param name="Bytes">The file's bytes.</param>
public sealed record FuzzCase(int Index, FuzzFamily Family, string Description, byte[] Bytes);
