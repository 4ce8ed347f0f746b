using System.Buffers.Binary;
using System.Text;

namespace Llama4.GgufFuzz;

/// <summary>GGUF value type ids and encoders for raw metadata elements.</summary>
internal static class GgufValues
{
    /// <summary>uint8.</summary>
    public const uint UInt8 = 0;

    /// <summary>int8.</summary>
    public const uint Int8 = 1;

    /// <summary>uint16.</summary>
    public const uint UInt16 = 2;

    /// <summary>int16.</summary>
    public const uint Int16 = 3;

    /// <summary>uint32.</summary>
    public const uint UInt32 = 4;

    /// <summary>int32.</summary>
    public const uint Int32 = 5;

    /// <summary>float32.</summary>
    public const uint Float32 = 6;

    /// <summary>bool.</summary>
    public const uint Bool = 7;

    /// <summary>string.</summary>
    public const uint String = 8;

    /// <summary>array.</summary>
    public const uint Array = 9;

    /// <summary>uint64.</summary>
    public const uint UInt64 = 10;

    /// <summary>int64.</summary>
    public const uint Int64 = 11;

    /// <summary>float64.</summary>
    public const uint Float64 = 12;

    /// <summary>The size of a fixed-size scalar type; 0 for strings, arrays and unknown types.</summary>
    /// <param name="type">The type id.</param>
    /// <returns>The size in bytes.</returns>
    public static int ScalarSize(uint type) => type switch
    {
        UInt8 or Int8 or Bool => 1,
        UInt16 or Int16 => 2,
        UInt32 or Int32 or Float32 => 4,
        UInt64 or Int64 or Float64 => 8,
        _ => 0,
    };

    /// <summary>Encodes an integer as a scalar of an integer or bool type (truncating to its width).</summary>
    /// <param name="type">The type id (an integer type or bool).</param>
    /// <param name="value">The value.</param>
    /// <returns>The little-endian bytes.</returns>
    public static byte[] Integer(uint type, long value)
    {
        byte[] bytes = new byte[ScalarSize(type)];
        Span<byte> all = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(all, value);
        all[..bytes.Length].CopyTo(bytes);
        return bytes;
    }

    /// <summary>Encodes a float32.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The little-endian bytes.</returns>
    public static byte[] Float(float value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>Encodes a float64.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The little-endian bytes.</returns>
    public static byte[] Double(double value)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>Encodes a string element (UTF-8, no length prefix).</summary>
    /// <param name="value">The text.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Text(string value) => Encoding.UTF8.GetBytes(value);

    /// <summary>A scalar entry of an integer or bool type.</summary>
    /// <param name="key">The key.</param>
    /// <param name="type">The type id.</param>
    /// <param name="value">The value.</param>
    /// <returns>The entry.</returns>
    public static GgufRawEntry IntegerEntry(string key, uint type, long value) => new(key, type, type, [Integer(type, value)]);

    /// <summary>A string entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The text.</param>
    /// <returns>The entry.</returns>
    public static GgufRawEntry StringEntry(string key, string value) => new(key, String, String, [Text(value)]);
}
