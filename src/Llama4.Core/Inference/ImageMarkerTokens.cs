namespace Llama4.Core.Inference;

/// <summary>The vocabulary ids of the special tokens that lay out an image in Meta's Llama 4 format.</summary>
/// <param name="Start"><c>&lt;|image_start|&gt;</c>.</param>
/// <param name="End"><c>&lt;|image_end|&gt;</c>.</param>
/// <param name="Image"><c>&lt;|image|&gt;</c>, before the overview tile.</param>
/// <param name="TileX"><c>&lt;|tile_x_separator|&gt;</c>, between two tiles of a row.</param>
/// <param name="TileY"><c>&lt;|tile_y_separator|&gt;</c>, after each row.</param>
internal readonly record struct ImageMarkerTokens(int Start, int End, int Image, int TileX, int TileY);
