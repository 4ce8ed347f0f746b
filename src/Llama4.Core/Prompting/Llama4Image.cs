using System.Security.Cryptography;

namespace Llama4.Core;

/// <summary>
/// An image attached to a user turn: its encoded bytes (PNG, JPEG, GIF or BMP). Two images with the same bytes are
/// equal, and the KV cache treats them as the same run of tokens, so a conversation that repeats an image reuses it.
/// </summary>
public sealed class Llama4Image : IEquatable<Llama4Image>
{
    private readonly byte[] _hash;

    /// <summary>Creates an image from its encoded bytes (copied).</summary>
    /// <param name="data">The encoded image file (PNG, JPEG, GIF or BMP).</param>
    /// <param name="mediaType">The media type the caller gave (for messages), or null.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is empty.</exception>
    public Llama4Image(ReadOnlyMemory<byte> data, string? mediaType = null)
    {
        if (data.IsEmpty)
        {
            throw new ArgumentException("An image needs its encoded bytes; the data is empty.", nameof(data));
        }

        Data = data.ToArray();
        MediaType = mediaType;
        _hash = SHA256.HashData(Data.Span);
        Id = Convert.ToHexStringLower(_hash);
    }

    /// <summary>Gets the encoded bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Gets the media type the caller gave, or null.</summary>
    public string? MediaType { get; }

    /// <summary>Gets the SHA-256 of the bytes in lowercase hex: equal bytes, equal id.</summary>
    public string Id { get; }

    /// <summary>Gets the first 8 bytes of the SHA-256 as a number (seeds the image's cache identity).</summary>
    internal ulong HashPrefix => BitConverter.ToUInt64(_hash, 0);

    /// <inheritdoc />
    public bool Equals(Llama4Image? other) => other is not null && _hash.AsSpan().SequenceEqual(other._hash);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Llama4Image);

    /// <inheritdoc />
    public override int GetHashCode() => HashPrefix.GetHashCode();
}
