using Llama4.Core;
using Llama4.Core.Inference;

namespace Llama4.Core.Tests.Inference;

/// <summary>
/// The grid shape follows from mtmd's tile count and the image's orientation (checked against the grid mtmd logs for
/// 690 sizes from 20x20 to 397x394 with the tiny projector).
/// </summary>
public sealed class ImageTileLayoutTests
{
    private static readonly ImageMarkerTokens Markers = new(Start: 1, End: 2, Image: 3, TileX: 4, TileY: 5);

    [Theory]
    [InlineData(1, 40, 30, 0, 0)]
    [InlineData(3, 112, 56, 2, 1)]
    [InlineData(3, 56, 112, 1, 2)]
    [InlineData(4, 168, 56, 3, 1)]
    [InlineData(4, 56, 168, 1, 3)]
    [InlineData(5, 112, 112, 2, 2)]
    [InlineData(7, 168, 112, 3, 2)]
    [InlineData(7, 112, 168, 2, 3)]
    [InlineData(10, 300, 300, 3, 3)]
    public void Create_TileCountAndOrientation_GiveTheGrid(int tiles, int width, int height, int columns, int rows)
    {
        var layout = ImageTileLayout.Create(Enumerable.Repeat(4, tiles).ToArray(), width, height);

        Assert.Equal(columns, layout.Columns);
        Assert.Equal(rows, layout.Rows);
        Assert.Equal(4 * tiles, layout.ImageTokens);
        Assert.Equal((4 * tiles) + 2 + tiles, layout.Length);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(11)]
    public void Create_TileCountNoLlama4GridGives_ThrowsCorrupt(int tiles)
    {
        var error = Assert.Throws<Llama4ImageException>(() => ImageTileLayout.Create(Enumerable.Repeat(4, tiles).ToArray(), 100, 100));

        Assert.Equal(Llama4ImageProblem.Corrupt, error.Problem);
    }

    [Fact]
    public void AppendTo_TwoByOneGrid_WritesSeparatorsImageAndOverviewAndTileStarts()
    {
        var layout = ImageTileLayout.Create([2, 2, 2], 112, 56);
        var ledger = new List<int> { 100 };
        var starts = new List<int>();

        layout.AppendTo(ledger, Markers, projectorIdentity: 7, imageHash: 9, starts);

        Assert.Equal([100, 1, -1, -1, 4, -1, -1, 5, 3, -1, -1, 2], ledger.Select(t => t < 0 ? -1 : t));
        Assert.Equal([2, 5, 9], starts);
        Assert.Equal(6, ledger.Count(ImageTokenIds.IsImage));
        Assert.Equal(6, ledger.Where(ImageTokenIds.IsImage).Distinct().Count());
    }
}
