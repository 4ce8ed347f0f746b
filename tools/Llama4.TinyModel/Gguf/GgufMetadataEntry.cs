using System.Globalization;

namespace Llama4.TinyModel.Gguf;

/// <summary>One GGUF key/value pair, typed as it will be written.</summary>
/// <param name="Key">The metadata key.</param>
/// <param name="Type">The GGUF value type.</param>
/// <param name="ElementType">For arrays, the element type; otherwise equal to <paramref name="Type"/>.</param>
/// <param name="Value">A boxed scalar, or an array of the CLR type matching <paramref name="ElementType"/>.</param>
internal sealed record GgufMetadataEntry(string Key, GgufValueType Type, GgufValueType ElementType, object Value)
{
    private static readonly Dictionary<Type, GgufValueType> ScalarTypes = new()
    {
        [typeof(string)] = GgufValueType.String,
        [typeof(byte)] = GgufValueType.UInt8,
        [typeof(sbyte)] = GgufValueType.Int8,
        [typeof(ushort)] = GgufValueType.UInt16,
        [typeof(short)] = GgufValueType.Int16,
        [typeof(uint)] = GgufValueType.UInt32,
        [typeof(int)] = GgufValueType.Int32,
        [typeof(ulong)] = GgufValueType.UInt64,
        [typeof(long)] = GgufValueType.Int64,
        [typeof(float)] = GgufValueType.Float32,
        [typeof(double)] = GgufValueType.Float64,
        [typeof(bool)] = GgufValueType.Bool,
    };

    public static GgufMetadataEntry String(string key, string value) => new(key, GgufValueType.String, GgufValueType.String, value);

    public static GgufMetadataEntry UInt32(string key, uint value) => new(key, GgufValueType.UInt32, GgufValueType.UInt32, value);

    public static GgufMetadataEntry Float32(string key, float value) => new(key, GgufValueType.Float32, GgufValueType.Float32, value);

    public static GgufMetadataEntry Bool(string key, bool value) => new(key, GgufValueType.Bool, GgufValueType.Bool, value);

    public static GgufMetadataEntry StringArray(string key, string[] value) => new(key, GgufValueType.Array, GgufValueType.String, value);

    public static GgufMetadataEntry Int32Array(string key, int[] value) => new(key, GgufValueType.Array, GgufValueType.Int32, value);

    /// <summary>Maps a CLR value from <see cref="TinyModelOptions.MetadataOverrides"/> to its GGUF type.</summary>
    /// <exception cref="ArgumentException">The value's type has no GGUF equivalent.</exception>
    public static GgufMetadataEntry FromObject(string key, object value) =>
        TryFromObject(key, value) ?? throw new ArgumentException(DescribeUnsupported(key, value), nameof(value));

    /// <summary>The message for a value whose CLR type has no GGUF equivalent.</summary>
    public static string DescribeUnsupported(string key, object value) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Metadata override '{key}' has type {value.GetType().Name}, which has no GGUF equivalent; use string, bool, a sized integer (byte..ulong), float, double, or an array of one of them.");

    /// <summary>Maps a CLR value to its GGUF type, or returns null when there is none.</summary>
    public static GgufMetadataEntry? TryFromObject(string key, object value)
    {
        if (value is Array array)
        {
            // Match the exact array type: the CLR lets an int[] pass as uint[] (and byte[] as sbyte[]...) in type tests.
            Type? element = array.GetType().GetElementType();
            GgufValueType? elementType = element is null || array.Rank != 1 ? null : ScalarType(element);
            if (elementType is null || (array is string[] strings && Array.IndexOf(strings, null) >= 0))
            {
                return null;
            }

            return new(key, GgufValueType.Array, elementType.Value, array.Clone());
        }

        GgufValueType? type = ScalarType(value.GetType());
        return type is null ? null : new(key, type.Value, type.Value, value);
    }

    /// <summary>A canonical text form (type and value) used to hash options for the cache.</summary>
    public string ToCanonicalString()
    {
        string body = Value switch
        {
            string s => Quote(s),
            float f => BitConverter.SingleToUInt32Bits(f).ToString("x8", CultureInfo.InvariantCulture),
            double d => BitConverter.DoubleToUInt64Bits(d).ToString("x16", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            string[] a => "[" + string.Join(",", a.Select(Quote)) + "]",
            float[] a => "[" + string.Join(",", a.Select(f => BitConverter.SingleToUInt32Bits(f).ToString("x8", CultureInfo.InvariantCulture))) + "]",
            double[] a => "[" + string.Join(",", a.Select(d => BitConverter.DoubleToUInt64Bits(d).ToString("x16", CultureInfo.InvariantCulture))) + "]",
            bool[] a => "[" + string.Join(",", a.Select(b => b ? "true" : "false")) + "]",
            System.Array a => "[" + string.Join(",", a.Cast<IFormattable>().Select(x => x.ToString(null, CultureInfo.InvariantCulture))) + "]",
            IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException("Unexpected metadata value type."),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{Quote(Key)}:{(int)Type}:{(int)ElementType}:{body}");
    }

    private static GgufValueType? ScalarType(Type type) =>
        ScalarTypes.TryGetValue(type, out GgufValueType ggufType) ? ggufType : null;

    private static string Quote(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
