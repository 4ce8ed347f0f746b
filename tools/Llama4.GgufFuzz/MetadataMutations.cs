using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Llama4.Core.Gguf;

namespace Llama4.GgufFuzz;

/// <summary>Mutations of the metadata: the llama4 keys llama.cpp reads, and the tokenizer.</summary>
internal static class MetadataMutations
{
    private const string TokensKey = "tokenizer.ggml.tokens";

    /// <summary>Every key llama.cpp reads when it loads a llama4 model (hyperparameters, tokenizer, splits).</summary>
    private static readonly string[] Keys =
    [
        "general.architecture", "general.name", "general.alignment", "general.file_type",
        "llama4.context_length", "llama4.embedding_length", "llama4.block_count", "llama4.expert_count",
        "llama4.expert_used_count", "llama4.feed_forward_length", "llama4.expert_feed_forward_length",
        "llama4.interleave_moe_layer_step", "llama4.attention.head_count", "llama4.attention.head_count_kv",
        "llama4.attention.layer_norm_rms_epsilon", "llama4.attention.key_length", "llama4.attention.value_length",
        "llama4.attention.sliding_window", "llama4.rope.dimension_count", "llama4.rope.freq_base",
        "llama4.rope.scaling.type", "llama4.rope.scaling.factor", "llama4.rope.scale_linear",
        "llama4.rope.scaling.attn_factor", "llama4.rope.scaling.original_context_length", "llama4.rope.scaling.finetuned",
        "llama4.vocab_size", "tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.bos_token_id",
        "tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id",
        "tokenizer.ggml.padding_token_id", "tokenizer.ggml.unknown_token_id", "tokenizer.ggml.add_bos_token",
        "tokenizer.ggml.add_eos_token", "tokenizer.ggml.add_space_prefix", "tokenizer.ggml.token_type_count",
        "tokenizer.chat_template", "split.count", "split.no", "split.tensors.count",
    ];

    private static readonly string[] Strings =
    [
        string.Empty, "none", "linear", "yarn", "longrope", "llama3", "dynamic", "LINEAR", "Linear", "su", "gpt2", "llama",
        "llama4", "clip", "bert", "no_vocab", "gpt-4o", "default", "x\0y", "%s%s%n", "\u00e9t\u00e9", "<|eot|>",
    ];

    private static readonly long[] Integers =
    [
        0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 24, 31, 32, 33, 63, 64, 127, 128, 255, 256, 511, 512, 513, 1024, 4095, 8192,
        65535, 65536, 1 << 20, 1 << 24, int.MaxValue, 1L << 31, uint.MaxValue, 1L << 40, long.MaxValue, -1, -2, -128,
        int.MinValue, long.MinValue,
    ];

    private static readonly double[] Floats =
    [
        0, -0.0, -1, 1, 0.5, 1e-5, 1e-30, 1e-45, 1e30, 3.4e38, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
    ];

    private static readonly uint[] IntegerTypes =
    [
        GgufValues.UInt8, GgufValues.Int8, GgufValues.UInt16, GgufValues.Int16, GgufValues.UInt32, GgufValues.Int32,
        GgufValues.UInt64, GgufValues.Int64,
    ];

    // Byte sequences llama.cpp's grammar decoder reads as U+0000, and some near misses.
    private static readonly byte[][] Overlong =
    [
        [0xC0, 0x80], [0xC0, 0xC0], [0xC0, 0x40], [0xE0, 0x80, 0x80], [0xF0, 0x80, 0x80, 0x80], [0x61, 0xC0, 0x80],
        [0xC1, 0x80], [0xC0], [0xE0, 0x80], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80, 0x80],
    ];

    private static readonly long[] TokenTypes = [0, 1, 2, 3, 4, 5, 6, 7, -1, 1000];

    /// <summary>Changes one llama.cpp key: removes it, or writes a zero, huge, negative, other-typed or other-string value.</summary>
    public static string MutateKey(GgufDocument document, Random random)
    {
        string key = Keys[random.Next(Keys.Length)];
        GgufRawEntry? entry = document.Find(key);
        switch (random.Next(8))
        {
            case 0 when entry is not null:
                document.Entries.Remove(entry);
                return "removed " + key;
            case 0:
            case 1:
                long value = Pick(Integers, random);
                uint type = entry is not null && IntegerTypes.Contains(entry.Type) ? entry.Type : GgufValues.UInt32;
                Set(document, key, type, type, [GgufValues.Integer(type, value)]);
                return Describe(key, type, value);
            case 2:
                return SwapType(document, key, entry, random);
            case 3:
                string text = Pick(Strings, random);
                Set(document, key, GgufValues.String, GgufValues.String, [GgufValues.Text(text)]);
                return string.Create(CultureInfo.InvariantCulture, $"{key} = string \"{Escape(Encoding.UTF8.GetBytes(text))}\"");
            case 4:
                double number = Pick(Floats, random);
                bool single = random.Next(2) == 0;
                Set(document, key, single ? GgufValues.Float32 : GgufValues.Float64, single ? GgufValues.Float32 : GgufValues.Float64, [single ? GgufValues.Float((float)number) : GgufValues.Double(number)]);
                return string.Create(CultureInfo.InvariantCulture, $"{key} = {(single ? "f32" : "f64")} {number}");
            case 5:
                return SetArray(document, key, random);
            case 6:
                bool flag = random.Next(2) == 0;
                Set(document, key, GgufValues.Bool, GgufValues.Bool, [[flag ? (byte)1 : (byte)0]]);
                return key + " = bool " + flag;
            default:
                uint integerType = Pick(IntegerTypes, random);
                long integer = Pick(Integers, random);
                Set(document, key, integerType, integerType, [GgufValues.Integer(integerType, integer)]);
                return Describe(key, integerType, integer);
        }
    }

    /// <summary>Damages the tokenizer: duplicates, overlong UTF-8, NUL bytes, empty tokens, counts, types, merges, ids.</summary>
    public static string MutateTokenizer(GgufDocument document, Random random)
    {
        GgufRawEntry tokens = document.Find(TokensKey) ?? throw new InvalidOperationException("The base model has no tokens.");
        List<byte[]> list = tokens.Elements;
        int i = random.Next(list.Count);
        switch (random.Next(11))
        {
            case 0:
            case 1:
                int j = random.Next(list.Count);
                list[i] = list[j];
                return string.Create(CultureInfo.InvariantCulture, $"token {i} = token {j} (\"{Escape(list[j])}\")");
            case 2:
                byte[] pattern = Pick(Overlong, random);
                byte[] text = Encoding.UTF8.GetBytes(Gpt2ByteLevel.Encode(pattern));
                list[i] = random.Next(3) == 0 ? [.. list[i], .. text] : text;
                return string.Create(CultureInfo.InvariantCulture, $"token {i} = byte-level text of {Hex(pattern)} (\"{Escape(list[i])}\")");
            case 3:
                byte[] raw = Pick(Overlong, random);
                list[i] = random.Next(3) == 0 ? [.. list[i], .. raw] : raw;
                return string.Create(CultureInfo.InvariantCulture, $"token {i} = raw bytes \"{Escape(list[i])}\"");
            case 4:
                int at = random.Next(list[i].Length + 1);
                list[i] = [.. list[i].AsSpan(0, at), 0, .. list[i].AsSpan(at)];
                return string.Create(CultureInfo.InvariantCulture, $"token {i} gets a NUL byte: \"{Escape(list[i])}\"");
            case 5:
                list[i] = random.Next(2) == 0 ? [] : Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"[EMPTY_{random.Next(list.Count)}]"));
                return string.Create(CultureInfo.InvariantCulture, $"token {i} = \"{Escape(list[i])}\"");
            case 6:
                if (random.Next(2) == 0)
                {
                    list.RemoveAt(i);
                    return string.Create(CultureInfo.InvariantCulture, $"token {i} removed (the vocabulary no longer matches token_embd)");
                }

                list.Add(Encoding.UTF8.GetBytes("extra" + i.ToString(CultureInfo.InvariantCulture)));
                return "one token added (the vocabulary no longer matches token_embd)";
            case 7:
                return MutateTokenTypes(document, random, list.Count);
            case 8:
                GgufRawEntry merges = document.Find("tokenizer.ggml.merges") ?? throw new InvalidOperationException("The base model has no merges.");
                int m = random.Next(merges.Elements.Count);
                string[] garbage = [string.Empty, " ", "a", "a b c", "\u0120 \u0120", "x\0 y"];
                string merge = Pick(garbage, random);
                merges.Elements[m] = Encoding.UTF8.GetBytes(merge);
                return string.Create(CultureInfo.InvariantCulture, $"merge {m} = \"{Escape(merges.Elements[m])}\"");
            case 9:
                string[] ids = ["tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id", "tokenizer.ggml.padding_token_id"];
                string idKey = Pick(ids, random);
                long id = Pick<long>([list.Count, list.Count - 1, list.Count + 1, 0, -1, uint.MaxValue, 11], random);
                Set(document, idKey, GgufValues.UInt32, GgufValues.UInt32, [GgufValues.Integer(GgufValues.UInt32, id)]);
                return Describe(idKey, GgufValues.UInt32, id);
            default:
                byte[] bytes = new byte[random.Next(1, 9)];
                random.NextBytes(bytes);
                list[i] = bytes;
                return string.Create(CultureInfo.InvariantCulture, $"token {i} = random bytes \"{Escape(bytes)}\"");
        }
    }

    /// <summary>Renders bytes for a description: printable ASCII as is, the rest as \xHH.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder();
        foreach (byte b in bytes)
        {
            builder.Append(b is >= 0x20 and < 0x7F && b != (byte)'"' && b != (byte)'\\' ? ((char)b).ToString() : string.Create(CultureInfo.InvariantCulture, $"\\x{b:X2}"));
        }

        return builder.ToString();
    }

    private static string MutateTokenTypes(GgufDocument document, Random random, int tokenCount)
    {
        GgufRawEntry? types = document.Find("tokenizer.ggml.token_type");
        if (types is null || random.Next(5) == 0)
        {
            uint elementType = Pick([GgufValues.UInt32, GgufValues.Int32, GgufValues.Int8, GgufValues.Float32], random);
            int count = Pick([tokenCount, tokenCount - 1, 1, 0], random);
            Set(document, "tokenizer.ggml.token_type", GgufValues.Array, elementType, Enumerable.Range(0, Math.Max(0, count)).Select(_ => GgufValues.Integer(elementType == GgufValues.Float32 ? GgufValues.Int32 : elementType, 1)));
            return string.Create(CultureInfo.InvariantCulture, $"token_type = array of {count} x type {elementType}");
        }

        var changed = new List<string>();
        for (int n = random.Next(1, 4); n > 0; n--)
        {
            int index = random.Next(types.Elements.Count);
            long value = Pick(TokenTypes, random);
            types.Elements[index] = GgufValues.Integer(GgufValues.Int32, value);
            changed.Add(string.Create(CultureInfo.InvariantCulture, $"{index}->{value}"));
        }

        return "token types " + string.Join(", ", changed);
    }

    private static string SwapType(GgufDocument document, string key, GgufRawEntry? entry, Random random)
    {
        long value = entry is { IsArray: false, Elements: [var element] } && IntegerTypes.Contains(entry.Type)
            ? ReadInteger(entry.Type, element)
            : Pick(Integers, random);
        uint type = Pick([.. IntegerTypes, GgufValues.Float32, GgufValues.Float64, GgufValues.Bool, GgufValues.String], random);
        byte[] bytes = type switch
        {
            GgufValues.Float32 => GgufValues.Float(value),
            GgufValues.Float64 => GgufValues.Double(value),
            GgufValues.Bool => [value != 0 ? (byte)1 : (byte)0],
            GgufValues.String => GgufValues.Text(value.ToString(CultureInfo.InvariantCulture)),
            _ => GgufValues.Integer(type, value),
        };
        Set(document, key, type, type, [bytes]);
        return Describe(key, type, value) + " (type swap)";
    }

    private static string SetArray(GgufDocument document, string key, Random random)
    {
        int count = Pick([0, 1, 3, 4, 5, 8, 513], random);
        uint elementType = Pick([GgufValues.UInt32, GgufValues.Int32, GgufValues.UInt64, GgufValues.Float32, GgufValues.String, GgufValues.Bool], random);
        var elements = new List<byte[]>(count);
        for (int n = 0; n < count; n++)
        {
            long value = random.Next(3) == 0 ? Pick(Integers, random) : random.Next(0, 300);
            elements.Add(elementType switch
            {
                GgufValues.Float32 => GgufValues.Float(value),
                GgufValues.String => GgufValues.Text(value.ToString(CultureInfo.InvariantCulture)),
                GgufValues.Bool => [(byte)(value & 1)],
                _ => GgufValues.Integer(elementType, value),
            });
        }

        Set(document, key, GgufValues.Array, elementType, elements);
        return string.Create(CultureInfo.InvariantCulture, $"{key} = array of {count} x type {elementType}");
    }

    private static void Set(GgufDocument document, string key, uint type, uint elementType, IEnumerable<byte[]> elements)
    {
        GgufRawEntry replacement = new(key, type, elementType, elements);
        int index = document.Entries.FindIndex(e => string.Equals(e.Key, key, StringComparison.Ordinal));
        if (index >= 0)
        {
            document.Entries[index] = replacement;
        }
        else
        {
            document.Entries.Add(replacement);
        }
    }

    private static long ReadInteger(uint type, byte[] bytes) => type switch
    {
        GgufValues.UInt8 => bytes[0],
        GgufValues.Int8 => (sbyte)bytes[0],
        GgufValues.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
        GgufValues.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes),
        GgufValues.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        GgufValues.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
        _ => BinaryPrimitives.ReadInt64LittleEndian(bytes),
    };

    private static string Describe(string key, uint type, long value) =>
        string.Create(CultureInfo.InvariantCulture, $"{key} = {TypeName(type)} {value}");

    private static string TypeName(uint type) => type switch
    {
        GgufValues.UInt8 => "u8",
        GgufValues.Int8 => "i8",
        GgufValues.UInt16 => "u16",
        GgufValues.Int16 => "i16",
        GgufValues.UInt32 => "u32",
        GgufValues.Int32 => "i32",
        GgufValues.UInt64 => "u64",
        GgufValues.Int64 => "i64",
        GgufValues.Float32 => "f32",
        GgufValues.Float64 => "f64",
        GgufValues.Bool => "bool",
        GgufValues.String => "string",
        _ => "type " + type.ToString(CultureInfo.InvariantCulture),
    };

    private static string Hex(byte[] bytes) => string.Join(' ', bytes.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    private static T Pick<T>(IReadOnlyList<T> values, Random random) => values[random.Next(values.Count)];
}
