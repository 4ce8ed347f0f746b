using System.Globalization;
using Llama4.Core.Gguf;

namespace Llama4.GgufFuzz;

/// <summary>Mutations of the tensors: types, shapes and names, with the data rebuilt to the new size where possible.</summary>
internal static class TensorMutations
{
    /// <summary>New data is written only up to this size; a larger tensor keeps its old data (and the file is short).</summary>
    private const long MaxRebuiltBytes = 64L << 20;

    /// <summary>Gives one tensor another ggml type id: every id up to 41 (removed and unknown ones included), and two wild ones.</summary>
    public static string MutateType(GgufDocument document, Random random)
    {
        GgufRawTensor tensor = document.Tensors[random.Next(document.Tensors.Count)];
        uint type = random.Next(10) == 0 ? Pick([1000u, uint.MaxValue], random) : (uint)random.Next(42);
        uint old = tensor.Type;
        tensor.Type = type;
        string rebuilt = Rebuild(tensor);
        return string.Create(CultureInfo.InvariantCulture, $"{tensor.Name}: type {GgmlTypeInfo.GetName(old)} -> {GgmlTypeInfo.GetName(type)}{rebuilt}");
    }

    /// <summary>Changes one tensor's shape or name: a dimension off by one, doubled, halved, 0, 1 or huge; dimensions
    /// swapped, added or dropped; a rename, a removal, a duplicate.</summary>
    public static string MutateShape(GgufDocument document, Random random)
    {
        int index = random.Next(document.Tensors.Count);
        GgufRawTensor tensor = document.Tensors[index];
        List<ulong> dims = tensor.Dimensions;
        string before = "[" + string.Join(", ", dims) + "]";
        int d = random.Next(Math.Max(1, dims.Count));
        switch (random.Next(12))
        {
            case 0 when dims.Count > 0: dims[d] += 1; break;
            case 1 when dims.Count > 0 && dims[d] > 1: dims[d] -= 1; break;
            case 2 when dims.Count > 0: dims[d] *= 2; break;
            case 3 when dims.Count > 0: dims[d] = Math.Max(1, dims[d] / 2); break;
            case 4 when dims.Count > 0: dims[d] = Pick([0UL, 1UL, 1UL << 40, ulong.MaxValue, (ulong)long.MaxValue + 1], random); break;
            case 5 when dims.Count > 1: (dims[0], dims[1]) = (dims[1], dims[0]); break;
            case 6 when dims.Count < 4: dims.Add(Pick([1UL, 2UL, 4UL], random)); break;
            case 7 when dims.Count > 0: dims.RemoveAt(dims.Count - 1); break;
            case 8:
                string name = tensor.Name;
                tensor.Name = Pick(
                [
                    document.Tensors[random.Next(document.Tensors.Count)].Name,
                    name.Replace("blk.0.", "blk.9.", StringComparison.Ordinal),
                    name.Replace(".weight", ".bias", StringComparison.Ordinal),
                    name + "x",
                    "rope_freqs.weight",
                ], random);
                return $"tensor {name} renamed to {tensor.Name}";
            case 9:
                document.Tensors.RemoveAt(index);
                return $"tensor {tensor.Name} removed";
            case 10:
                GgufRawTensor copy = tensor.Clone();
                copy.Name = Pick([tensor.Name, "blk.99.attn_q.weight", "output.weight", "rope_freqs.weight", "token_embd.bias"], random);
                document.Tensors.Add(copy);
                return $"tensor {tensor.Name} duplicated as {copy.Name}";
            default:
                if (dims.Count > 0)
                {
                    dims[d] = (ulong)random.Next(1, 1024);
                }

                break;
        }

        return $"{tensor.Name}: shape {before} -> [{string.Join(", ", dims)}]{Rebuild(tensor)}";
    }

    private static string Rebuild(GgufRawTensor tensor)
    {
        long? length = GgufDocument.DataLength(tensor.Type, tensor.Dimensions);
        if (length is null || length > MaxRebuiltBytes)
        {
            return " (data kept)";
        }

        // Zeros are valid in every type: the file is structurally sound, only the type or shape is wrong.
        tensor.Data = new byte[length.Value];
        return string.Empty;
    }

    private static T Pick<T>(IReadOnlyList<T> values, Random random) => values[random.Next(values.Count)];
}
