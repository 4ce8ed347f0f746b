using LLama.Native;

namespace Llama4.Core.Inference;

/// <summary>
/// One image of a tokenized prompt: mtmd's image chunks (one per tile: the grid row by row, then the overview), how
/// they are laid out (<see cref="ImageTileLayout"/>), and where each tile's tokens sit in the prompt. Owns the native
/// chunk collection.
/// </summary>
internal sealed class PromptImage : IDisposable
{
    private readonly SafeMtmdInputChunks _chunks;
    private readonly IReadOnlyList<nint> _tiles;
    private int[] _tileStarts = [];

    public PromptImage(SafeMtmdInputChunks chunks, IReadOnlyList<nint> tiles, ImageTileLayout layout, ImageHeader header)
    {
        _chunks = chunks;
        _tiles = tiles;
        Layout = layout;
        Header = header;
    }

    /// <summary>Gets how the tiles are laid out.</summary>
    public ImageTileLayout Layout { get; }

    /// <summary>Gets the number of tokens the image's tiles take (its marker tokens are text).</summary>
    public int Length => Layout.ImageTokens;

    /// <summary>Gets what the image's header said.</summary>
    public ImageHeader Header { get; }

    /// <summary>Records where the tiles' tokens sit in the prompt, in mtmd's order.</summary>
    public void Place(IEnumerable<int> tileStarts) => _tileStarts = [.. tileStarts];

    /// <summary>Finds the tile whose tokens start at a prompt position.</summary>
    /// <param name="position">The prompt position.</param>
    /// <param name="chunk">The tile's mtmd chunk.</param>
    /// <param name="tokens">The tile's token count.</param>
    /// <returns>Whether a tile of this image starts there.</returns>
    public bool TryGetTileAt(int position, out nint chunk, out int tokens)
    {
        var index = Array.IndexOf(_tileStarts, position);
        chunk = index < 0 ? 0 : _tiles[index];
        tokens = index < 0 ? 0 : Layout.TileTokens[index];
        return index >= 0;
    }

    public void Dispose() => _chunks.Dispose();
}
