namespace Llama4.Core.Inference;

/// <summary>
/// How an image's tiles are laid out in the prompt, in Meta's Llama 4 format. An image no larger than one tile:
/// <c>&lt;|image_start|&gt;&lt;|image|&gt;</c> its tile <c>&lt;|image_end|&gt;</c>. A larger one, a grid of
/// <see cref="Columns"/> x <see cref="Rows"/> tiles plus an overview tile: <c>&lt;|image_start|&gt;</c>, the grid row by
/// row with <c>&lt;|tile_x_separator|&gt;</c> between the tiles of a row and <c>&lt;|tile_y_separator|&gt;</c> after each
/// row, then <c>&lt;|image|&gt;</c>, the overview tile and <c>&lt;|image_end|&gt;</c>.
/// </summary>
internal sealed class ImageTileLayout
{
    private readonly int[] _tileTokens;

    private ImageTileLayout(int columns, int rows, int[] tileTokens)
    {
        Columns = columns;
        Rows = rows;
        _tileTokens = tileTokens;
        ImageTokens = tileTokens.Sum();
        Length = ImageTokens + 3 + (columns * rows);
    }

    /// <summary>Gets the grid's columns, or 0 for an image of one tile.</summary>
    public int Columns { get; }

    /// <summary>Gets the grid's rows, or 0 for an image of one tile.</summary>
    public int Rows { get; }

    /// <summary>Gets the tokens of each tile as mtmd gives them: the grid's tiles row by row, then the overview tile.</summary>
    public IReadOnlyList<int> TileTokens => _tileTokens;

    /// <summary>Gets the tokens the tiles take (the projector's output).</summary>
    public int ImageTokens { get; }

    /// <summary>Gets the positions the image takes in the prompt: its tiles and its marker tokens.</summary>
    public int Length { get; }

    /// <summary>
    /// Lays out the tiles mtmd made of an image: one tile, or a grid plus the overview tile (mtmd's chunks: the grid row
    /// by row, then the overview). mtmd reports no grid shape, only its tiles; the shape follows from their number and
    /// the image's orientation, because mtmd picks the grid that best fits the image (of 1..3 x 1..3 tiles, never 1x1):
    /// a grid of 2, 3 or 6 tiles has more columns than rows for an image wider than tall, more rows for a taller one,
    /// and a square image gets a square grid (4 or 9 tiles).
    /// </summary>
    /// <param name="tileTokens">The tokens of each tile, in mtmd's order.</param>
    /// <param name="width">The image's width in pixels.</param>
    /// <param name="height">The image's height in pixels.</param>
    /// <returns>The layout.</returns>
    /// <exception cref="Llama4ImageException">The number of tiles is not one mtmd makes for a Llama 4 image.</exception>
    public static ImageTileLayout Create(IReadOnlyList<int> tileTokens, int width, int height)
    {
        int[] tokens = [.. tileTokens];
        var grid = tokens.Length - 1;
        if (grid == 0)
        {
            return new ImageTileLayout(0, 0, tokens);
        }

        var (longSide, shortSide) = grid switch
        {
            2 => (2, 1),
            3 => (3, 1),
            4 => (2, 2),
            6 => (3, 2),
            9 => (3, 3),
            _ => throw new Llama4ImageException(
                Llama4ImageProblem.Corrupt,
                $"mtmd split the {width}x{height} image into {tokens.Length} tiles, which is no Llama 4 layout (one tile, or a grid of 1..3 x 1..3 tiles plus an overview); check that the projector is a Llama 4 mmproj."),
        };
        return width >= height
            ? new ImageTileLayout(longSide, shortSide, tokens)
            : new ImageTileLayout(shortSide, longSide, tokens);
    }

    /// <summary>
    /// Appends the image's ledger to a prompt's: the marker tokens' vocabulary ids, and for each tile the ids that
    /// <see cref="ImageTokenIds"/> derives from the image (negative, so each tile is one run of image ids).
    /// </summary>
    /// <param name="ledger">The prompt's ledger so far.</param>
    /// <param name="markers">The marker tokens' ids.</param>
    /// <param name="projectorIdentity">The projector's identity.</param>
    /// <param name="imageHash">The image's hash prefix.</param>
    /// <param name="tileStarts">Receives the ledger index of each tile's first position, in mtmd's order; or null.</param>
    public void AppendTo(List<int> ledger, ImageMarkerTokens markers, ulong projectorIdentity, ulong imageHash, List<int>? tileStarts)
    {
        ledger.Add(markers.Start);
        var index = 0;
        var tile = 0;
        for (var row = 0; row < Rows; row++)
        {
            for (var column = 0; column < Columns; column++)
            {
                if (column > 0)
                {
                    ledger.Add(markers.TileX);
                }

                AppendTile(tile++);
            }

            ledger.Add(markers.TileY);
        }

        ledger.Add(markers.Image);
        AppendTile(tile);
        ledger.Add(markers.End);

        void AppendTile(int which)
        {
            tileStarts?.Add(ledger.Count);
            var ids = new int[_tileTokens[which]];
            ImageTokenIds.Fill(ids, projectorIdentity, imageHash, index);
            ledger.AddRange(ids);
            index += ids.Length;
        }
    }
}
