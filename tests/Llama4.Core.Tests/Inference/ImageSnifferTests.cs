using Llama4.Core.Inference;
using Llama4.Testing;

namespace Llama4.Core.Tests.Inference;

public sealed class ImageSnifferTests
{
    [Fact]
    public void Inspect_Png_ReadsSizeFromHeader()
    {
        Assert.Equal(new ImageHeader("png", 40, 30), ImageSniffer.Inspect(TestImages.Png(40, 30)));
    }

    [Fact]
    public void Inspect_BmpAndGif_ReadSizes()
    {
        Assert.Equal(new ImageHeader("bmp", 20, 10), ImageSniffer.Inspect(TestImages.Bmp(20, 10)));
        Assert.Equal(new ImageHeader("gif", 1, 1), ImageSniffer.Inspect(TestImages.Gif1x1));
    }

    [Fact]
    public void Inspect_MinimalJpeg_ReadsFrameSize()
    {
        byte[] jpeg =
        [
            0xFF, 0xD8, // SOI
            0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, // APP0 with 2 bytes of payload
            0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x30, 0x00, 0x40, 0x01, 0x01, 0x11, 0x00, // SOF0: 48 high, 64 wide
            0xFF, 0xDA, 0x00, 0x02, 0x00, 0x00, // SOS and scan bytes
            0xFF, 0xD9, // EOI
        ];

        Assert.Equal(new ImageHeader("jpeg", 64, 48), ImageSniffer.Inspect(jpeg));
        Assert.Equal(new ImageHeader("jpeg", 64, 48), ImageSniffer.Inspect([.. jpeg, 0x12, 0x34]));
        var truncated = Assert.Throws<Llama4ImageException>(() => ImageSniffer.Inspect(jpeg.AsSpan(..^2)));
        Assert.Equal(Llama4ImageProblem.Corrupt, truncated.Problem);
    }

    [Theory]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50 }, Llama4ImageProblem.UnsupportedFormat)]
    [InlineData(new byte[] { 0x00 }, Llama4ImageProblem.UnsupportedFormat)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, Llama4ImageProblem.Corrupt)]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0 }, Llama4ImageProblem.Corrupt)]
    [InlineData(new byte[] { 0x42, 0x4D, 0, 0 }, Llama4ImageProblem.Corrupt)]
    public void Inspect_ForeignOrDamagedBytes_ThrowsTypedProblem(byte[] bytes, Llama4ImageProblem expected)
    {
        var error = Assert.Throws<Llama4ImageException>(() => ImageSniffer.Inspect(bytes));

        Assert.Equal(expected, error.Problem);
    }

    [Fact]
    public void Inspect_PngWithBadCrc_IsCorruptNamingTheChunk()
    {
        var png = TestImages.Png(8, 8);
        png[^5] ^= 0x01;

        var error = Assert.Throws<Llama4ImageException>(() => ImageSniffer.Inspect(png));

        Assert.Equal(Llama4ImageProblem.Corrupt, error.Problem);
        Assert.Contains("CRC", error.Message, StringComparison.Ordinal);
    }
}
