namespace Llama4.GgufFuzz;

/// <summary>One tensor of a <see cref="GgufDocument"/>: its header fields and its data bytes (without padding).</summary>
internal sealed class GgufRawTensor
{
    /// <summary>Creates a tensor.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="dimensions">The shape, ne[0] first.</param>
    /// <param name="type">The ggml type id.</param>
    /// <param name="data">The data bytes.</param>
    public GgufRawTensor(string name, IEnumerable<ulong> dimensions, uint type, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dimensions);
        Name = name;
        Dimensions = [.. dimensions];
        Type = type;
        Data = data ?? throw new ArgumentNullException(nameof(data));
    }

    /// <summary>Gets or sets the tensor name.</summary>
    public string Name { get; set; }

    /// <summary>Gets the shape, ne[0] first.</summary>
    public List<ulong> Dimensions { get; }

    /// <summary>Gets or sets the ggml type id.</summary>
    public uint Type { get; set; }

    /// <summary>Gets or sets the data bytes (without alignment padding).</summary>
    public byte[] Data { get; set; }

    /// <summary>A copy that shares the data array (mutations replace <see cref="Data"/>, they never edit it).</summary>
    /// <returns>The copy.</returns>
    public GgufRawTensor Clone() => new(Name, Dimensions, Type, Data);
}
