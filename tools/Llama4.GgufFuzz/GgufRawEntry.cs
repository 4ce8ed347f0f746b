namespace Llama4.GgufFuzz;

/// <summary>
/// One metadata key/value pair of a <see cref="GgufDocument"/>, kept as raw bytes so that a mutation can write any
/// type and any value: a scalar is one element; an array has <see cref="ElementType"/> and one element per item.
/// String elements hold the string's bytes without the length prefix; other elements hold little-endian values.
/// </summary>
internal sealed class GgufRawEntry
{
    /// <summary>The GGUF type id of an array value.</summary>
    public const uint ArrayType = 9;

    /// <summary>The GGUF type id of a string value.</summary>
    public const uint StringType = 8;

    /// <summary>Creates an entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="type">The GGUF value type id (9 for an array).</param>
    /// <param name="elementType">For arrays, the element type id; for scalars, the same as <paramref name="type"/>.</param>
    /// <param name="elements">The raw elements (one for a scalar).</param>
    public GgufRawEntry(string key, uint type, uint elementType, IEnumerable<byte[]> elements)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(elements);
        Key = key;
        Type = type;
        ElementType = elementType;
        Elements = [.. elements];
    }

    /// <summary>Gets or sets the key.</summary>
    public string Key { get; set; }

    /// <summary>Gets or sets the GGUF value type id (9 for an array).</summary>
    public uint Type { get; set; }

    /// <summary>Gets or sets the element type id of an array (equal to <see cref="Type"/> for a scalar).</summary>
    public uint ElementType { get; set; }

    /// <summary>Gets the raw elements (exactly one for a scalar).</summary>
    public List<byte[]> Elements { get; }

    /// <summary>Gets whether the value is an array.</summary>
    public bool IsArray => Type == ArrayType;

    /// <summary>A deep copy.</summary>
    /// <returns>The copy.</returns>
    public GgufRawEntry Clone() => new(Key, Type, ElementType, Elements.Select(e => (byte[])e.Clone()));
}
