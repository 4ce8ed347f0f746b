using LLama.Native;

namespace Llama4.Core.Inference;

/// <summary>
/// One image of a tokenized prompt: where its tokens sit in the prompt, and mtmd's image chunks (one per tile, in
/// order) that produce them. Owns the native chunk collection.
/// </summary>
internal sealed class PromptImage : IDisposable
{
    private readonly SafeMtmdInputChunks _chunks;

    public PromptImage(SafeMtmdInputChunks chunks, IReadOnlyList<(nint Chunk, int Tokens)> tiles, int start, ImageHeader header)
    {
        _chunks = chunks;
        Tiles = tiles;
        Start = start;
        Header = header;
        Length = tiles.Sum(t => t.Tokens);
    }

    /// <summary>Gets the image chunks (pointers into the owned collection) and their token counts, in order.</summary>
    public IReadOnlyList<(nint Chunk, int Tokens)> Tiles { get; }

    /// <summary>Gets the index of the image's first token in the prompt.</summary>
    public int Start { get; }

    /// <summary>Gets the number of tokens the image takes.</summary>
    public int Length { get; }

    /// <summary>Gets what the image's header said.</summary>
    public ImageHeader Header { get; }

    public void Dispose() => _chunks.Dispose();
}
