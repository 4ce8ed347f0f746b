namespace Llama4.Core.Inference;

/// <summary>
/// A prompt as the engine decodes it: the token ledger (an image's positions hold ids derived from its bytes, see
/// <see cref="ImageTokenIds"/>), the preamble length, and the images with their mtmd chunks. Owns the images.
/// </summary>
internal sealed class TokenizedPrompt : IDisposable
{
    public TokenizedPrompt(int[] tokens, int preambleLength, IReadOnlyList<PromptImage> images)
    {
        Tokens = tokens;
        PreambleLength = preambleLength;
        Images = images;
    }

    public int[] Tokens { get; }

    public int PreambleLength { get; }

    public IReadOnlyList<PromptImage> Images { get; }

    /// <summary>Gets the number of the prompt's tokens that images take.</summary>
    public int ImageTokenCount => Images.Sum(i => i.Length);

    public void Dispose()
    {
        foreach (var image in Images)
        {
            image.Dispose();
        }
    }
}
