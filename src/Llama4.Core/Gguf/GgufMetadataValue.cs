using System.Globalization;
using System.Text;

namespace Llama4.Core.Gguf;

/// <summary>
/// One typed metadata value. Scalars are boxed as their CLR type (byte, sbyte, ushort, short, uint, int, float, bool,
/// string, ulong, long, double); arrays are CLR arrays of the element type (string[] for strings).
/// </summary>
internal sealed class GgufMetadataValue
{
    private readonly byte[]?[]? _invalidUtf8;

    public GgufMetadataValue(GgufValueType type, GgufValueType elementType, object value, byte[]?[]? invalidUtf8 = null)
    {
        Type = type;
        ElementType = elementType;
        Value = value;
        _invalidUtf8 = invalidUtf8;
    }

    /// <summary>The value's type (<see cref="GgufValueType.Array"/> for arrays).</summary>
    public GgufValueType Type { get; }

    /// <summary>For arrays, the element type; for scalars, the same as <see cref="Type"/>.</summary>
    public GgufValueType ElementType { get; }

    /// <summary>The boxed scalar or the array.</summary>
    public object Value { get; }

    /// <summary>True for an array value.</summary>
    public bool IsArray => Type == GgufValueType.Array;

    /// <summary>The number of elements of an array value (0 for scalars).</summary>
    public int ArrayLength => Value is Array array && IsArray ? array.Length : 0;

    /// <summary>A readable type name for messages: <c>uint32</c>, <c>string</c>, <c>array of string</c>.</summary>
    public string TypeName => IsArray ? "array of " + Name(ElementType) : Name(Type);

    /// <summary>The string value, or null when this is not a string.</summary>
    public string? AsString => Type == GgufValueType.String ? (string)Value : null;

    /// <summary>The string array, or null when this is not an array of strings.</summary>
    public IReadOnlyList<string>? AsStringArray => IsArray && ElementType == GgufValueType.String ? (string[])Value : null;

    /// <summary>
    /// The exact bytes of element <paramref name="index"/> of a string array, as llama.cpp sees them: the stored bytes
    /// when they are not valid UTF-8 (<see cref="AsStringArray"/> shows U+FFFD for those), else the UTF-8 of the string.
    /// </summary>
    public byte[] GetStringBytes(int index) =>
        _invalidUtf8?[index] ?? Encoding.UTF8.GetBytes(((string[])Value)[index]);

    /// <summary>True when element <paramref name="index"/> of a string array is not valid UTF-8.</summary>
    public bool IsInvalidUtf8(int index) => _invalidUtf8?[index] is not null;

    /// <summary>The GGUF name of a value type.</summary>
    public static string Name(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => "uint8",
        GgufValueType.Int8 => "int8",
        GgufValueType.UInt16 => "uint16",
        GgufValueType.Int16 => "int16",
        GgufValueType.UInt32 => "uint32",
        GgufValueType.Int32 => "int32",
        GgufValueType.Float32 => "float32",
        GgufValueType.Bool => "bool",
        GgufValueType.String => "string",
        GgufValueType.Array => "array",
        GgufValueType.UInt64 => "uint64",
        GgufValueType.Int64 => "int64",
        GgufValueType.Float64 => "float64",
        _ => "type " + ((int)type).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>True for the eight integer types.</summary>
    public static bool IsInteger(GgufValueType type) => type is GgufValueType.UInt8 or GgufValueType.Int8
        or GgufValueType.UInt16 or GgufValueType.Int16 or GgufValueType.UInt32 or GgufValueType.Int32
        or GgufValueType.UInt64 or GgufValueType.Int64;

    /// <summary>Reads an integer scalar of any width; false for other types or a uint64 above <see cref="long.MaxValue"/>.</summary>
    public bool TryGetInt64(out long value)
    {
        switch (Value)
        {
            case byte v when Type == GgufValueType.UInt8: value = v; return true;
            case sbyte v when Type == GgufValueType.Int8: value = v; return true;
            case ushort v when Type == GgufValueType.UInt16: value = v; return true;
            case short v when Type == GgufValueType.Int16: value = v; return true;
            case uint v when Type == GgufValueType.UInt32: value = v; return true;
            case int v when Type == GgufValueType.Int32: value = v; return true;
            case long v when Type == GgufValueType.Int64: value = v; return true;
            case ulong v when Type == GgufValueType.UInt64 && v <= long.MaxValue: value = (long)v; return true;
            default: value = 0; return false;
        }
    }

    /// <summary>Reads every element of an integer array as <see cref="long"/>; false for other values.</summary>
    public bool TryGetInt64Array(out long[] values)
    {
        values = [];
        if (!IsArray || !IsInteger(ElementType))
        {
            return false;
        }

        var array = (Array)Value;
        var result = new long[array.Length];
        for (int i = 0; i < array.Length; i++)
        {
            object element = array.GetValue(i)!;
            if (element is ulong u)
            {
                if (u > long.MaxValue)
                {
                    return false;
                }

                result[i] = (long)u;
            }
            else
            {
                result[i] = Convert.ToInt64(element, CultureInfo.InvariantCulture);
            }
        }

        values = result;
        return true;
    }

    /// <summary>Reads a float32 or float64 scalar; false for other types.</summary>
    public bool TryGetDouble(out double value)
    {
        switch (Value)
        {
            case float f when Type == GgufValueType.Float32: value = f; return true;
            case double d when Type == GgufValueType.Float64: value = d; return true;
            default: value = 0; return false;
        }
    }

    /// <summary>A short rendering for messages (arrays show their length).</summary>
    public override string ToString() => IsArray
        ? string.Create(CultureInfo.InvariantCulture, $"[{ArrayLength} x {Name(ElementType)}]")
        : Value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : Value.ToString() ?? string.Empty;
}
