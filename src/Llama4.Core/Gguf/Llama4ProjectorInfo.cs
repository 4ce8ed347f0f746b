namespace Llama4.Core.Gguf;

/// <summary>What a validated Llama 4 vision projector (mmproj) file says about itself.</summary>
/// <param name="Path">The full path of the file.</param>
/// <param name="ImageSize">The side of one image tile in pixels (<c>clip.vision.image_size</c>).</param>
/// <param name="PatchSize">The side of one patch in pixels (<c>clip.vision.patch_size</c>).</param>
/// <param name="ScaleFactor">The pixel-shuffle factor (<c>clip.vision.projector.scale_factor</c>).</param>
/// <param name="OutputEmbeddingLength">The width of the embeddings the projector produces.</param>
/// <param name="FileLength">The file size in bytes.</param>
internal sealed record Llama4ProjectorInfo(string Path, int ImageSize, int PatchSize, int ScaleFactor, int OutputEmbeddingLength, long FileLength)
{
    /// <summary>The image tokens one tile gives: <c>((ImageSize / PatchSize) / ScaleFactor)^2</c>.</summary>
    public int TokensPerTile
    {
        get
        {
            int side = ImageSize / PatchSize / ScaleFactor;
            return side * side;
        }
    }
}
