using System.Buffers.Binary;
using System.Globalization;

namespace Llama4.GgufFuzz;

/// <summary>
/// Writes corrupted variants of a base GGUF file. A case depends only on the run seed and its index, so a failing
/// file can be rebuilt from the two numbers alone. About a quarter of the cases change a llama4 key, a fifth flip bits,
/// the rest damage the tokenizer, tensor types and shapes, the fixed header or the length.
/// </summary>
public sealed class GgufMutator
{
    private static readonly (FuzzFamily Family, int Weight)[] Weights =
    [
        (FuzzFamily.Header, 6),
        (FuzzFamily.BitFlip, 20),
        (FuzzFamily.Key, 26),
        (FuzzFamily.Tokenizer, 20),
        (FuzzFamily.TensorType, 12),
        (FuzzFamily.TensorShape, 10),
        (FuzzFamily.Truncation, 6),
    ];

    private readonly GgufDocument _base;
    private readonly GgufImage _baseImage;

    /// <summary>Creates a mutator over a well-formed base file.</summary>
    /// <param name="baseModel">The base file's bytes (a generated tiny model).</param>
    public GgufMutator(byte[] baseModel)
    {
        _base = GgufDocument.Parse(baseModel);
        _baseImage = _base.Serialize();
    }

    /// <summary>Builds case <paramref name="index"/> of run <paramref name="seed"/>.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="index">The case's index.</param>
    /// <returns>The corrupted file.</returns>
    public FuzzCase Create(int seed, int index)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        FuzzFamily family = PickFamily(random);
        GgufDocument document = _base.Clone();
        string description;
        byte[] bytes;
        switch (family)
        {
            case FuzzFamily.Header:
                bytes = (byte[])_baseImage.Bytes.Clone();
                description = MutateHeader(bytes, random);
                break;
            case FuzzFamily.BitFlip:
                bytes = (byte[])_baseImage.Bytes.Clone();
                description = FlipBits(bytes, _baseImage.DataStart, random);
                break;
            case FuzzFamily.Truncation:
                int cut = random.Next(_baseImage.Bytes.Length);
                bytes = _baseImage.Bytes.AsSpan(0, cut).ToArray();
                description = string.Create(CultureInfo.InvariantCulture, $"cut at byte {cut} of {_baseImage.Bytes.Length}");
                break;
            case FuzzFamily.Key:
                description = MetadataMutations.MutateKey(document, random);
                bytes = document.Serialize().Bytes;
                break;
            case FuzzFamily.Tokenizer when random.Next(8) == 0:
                bytes = (byte[])_baseImage.Bytes.Clone();
                description = CorruptLength(bytes, random);
                break;
            case FuzzFamily.Tokenizer:
                description = MetadataMutations.MutateTokenizer(document, random);
                bytes = document.Serialize().Bytes;
                break;
            case FuzzFamily.TensorType:
                description = TensorMutations.MutateType(document, random);
                bytes = document.Serialize().Bytes;
                break;
            default:
                description = TensorMutations.MutateShape(document, random);
                bytes = document.Serialize().Bytes;
                break;
        }

        return new FuzzCase(index, family, description, bytes);
    }

    private static FuzzFamily PickFamily(Random random)
    {
        int roll = random.Next(Weights.Sum(w => w.Weight));
        foreach ((FuzzFamily family, int weight) in Weights)
        {
            if (roll < weight)
            {
                return family;
            }

            roll -= weight;
        }

        return FuzzFamily.Key;
    }

    private static string MutateHeader(byte[] bytes, Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                int at = random.Next(24);
                byte value = (byte)random.Next(256);
                bytes[at] = value;
                return string.Create(CultureInfo.InvariantCulture, $"header byte {at} = 0x{value:X2}");
            case 1:
                uint version = (uint)Pick([0L, 1L, 2L, 4L, 0x03000000L, uint.MaxValue], random);
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), version);
                return string.Create(CultureInfo.InvariantCulture, $"version = {version}");
            default:
                int field = random.Next(2) == 0 ? 8 : 16;
                ulong count = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(field));
                ulong changed = Pick([0UL, count - 1, count + 1, count * 2, 1UL << 32, ulong.MaxValue], random);
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(field), changed);
                return string.Create(CultureInfo.InvariantCulture, $"{(field == 8 ? "tensor" : "key")} count {count} -> {changed}");
        }
    }

    private static string FlipBits(byte[] bytes, long end, Random random)
    {
        var flips = new List<string>();
        for (int n = random.Next(1, 5); n > 0; n--)
        {
            int at = random.Next(24, (int)end);
            int bit = random.Next(8);
            bytes[at] ^= (byte)(1 << bit);
            flips.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.{bit}"));
        }

        return "bit flips at " + string.Join(", ", flips);
    }

    private string CorruptLength(byte[] bytes, Random random)
    {
        IReadOnlyList<long> fields = _baseImage.StringLengthFields;
        long at = fields[random.Next(fields.Count)];
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)at));
        ulong changed = Pick([length + 1, length - 1, length + 1000, 1UL << 31, 1UL << 40, ulong.MaxValue, 0UL], random);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)at), changed);
        return string.Create(CultureInfo.InvariantCulture, $"string length at byte {at}: {length} -> {changed}");
    }

    private static T Pick<T>(IReadOnlyList<T> values, Random random) => values[random.Next(values.Count)];
}
