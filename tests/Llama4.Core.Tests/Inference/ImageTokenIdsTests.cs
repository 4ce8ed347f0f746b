using Llama4.Core.Inference;

namespace Llama4.Core.Tests.Inference;

public sealed class ImageTokenIdsTests
{
    [Fact]
    public void Fill_SameImageAndProjector_SameNegativeIds_OtherImageDiffersAtFirstPosition()
    {
        int[] a = new int[16], b = new int[16], c = new int[16], d = new int[16];

        ImageTokenIds.Fill(a, projectorIdentity: 7, imageHash: 42);
        ImageTokenIds.Fill(b, projectorIdentity: 7, imageHash: 42);
        ImageTokenIds.Fill(c, projectorIdentity: 7, imageHash: 43);
        ImageTokenIds.Fill(d, projectorIdentity: 8, imageHash: 42);

        Assert.Equal(a, b);
        Assert.All(a, id => Assert.True(ImageTokenIds.IsImage(id)));
        Assert.NotEqual(a[0], c[0]);
        Assert.NotEqual(a[0], d[0]);
        Assert.Equal(16, a.Distinct().Count());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(5, 2)]
    [InlineData(6, 6)]
    [InlineData(7, 7)]
    public void AlignToImageStart_LengthInsideImage_MovesToItsStart(int length, int expected)
    {
        int[] prompt = [1, 2, -5, -6, -7, -8, 9, 10];

        Assert.Equal(expected, ImageTokenIds.AlignToImageStart(prompt, length));
    }
}
