namespace Llama4.Core.Inference;

/// <summary>What an image's header says: its format and pixel size.</summary>
/// <param name="Format">The format's name (png, jpeg, gif, bmp).</param>
/// <param name="Width">The width in pixels.</param>
/// <param name="Height">The height in pixels.</param>
internal readonly record struct ImageHeader(string Format, int Width, int Height);
