namespace Llama4.Core.Inference;

/// <summary>
/// The ledger ids of an image's positions. The KV cache matches prompts by their ledgers, so an image's positions get
/// ids derived from the projector's identity, the image's SHA-256 and the position within the image: identical image
/// bytes (with the same projector) give an identical run and their cached cells are reused; a different image diverges
/// at its first position. The ids are negative, so they never collide with vocabulary ids, and a run of negative ids
/// is always one tile of one image (tiles are separated by the layout's marker tokens, see <see cref="ImageTileLayout"/>).
/// </summary>
internal static class ImageTokenIds
{
    /// <summary>Fills <paramref name="destination"/> with the ids of an image's positions, from its position <paramref name="first"/> on.</summary>
    public static void Fill(Span<int> destination, ulong projectorIdentity, ulong imageHash, int first = 0)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            var mixed = Mix(projectorIdentity ^ Mix(imageHash + (ulong)(first + i)));
            destination[i] = -1 - (int)(mixed % int.MaxValue);
        }
    }

    /// <summary>Whether a ledger id stands for an image position.</summary>
    public static bool IsImage(int id) => id < 0;

    /// <summary>
    /// Moves a reuse length back to the start of the image tile it would cut (a tile is evaluated whole, never from the
    /// middle); lengths that fall on text, marker tokens included, stay as they are.
    /// </summary>
    public static int AlignToImageStart(ReadOnlySpan<int> prompt, int length)
    {
        while (length > 0 && length < prompt.Length && IsImage(prompt[length]) && IsImage(prompt[length - 1]))
        {
            length--;
        }

        return length;
    }

    // SplitMix64's finaliser: a fast, well-mixed bijection.
    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
