using System.Globalization;

namespace Llama4.Core.Gguf;

/// <summary>
/// Block layout of ggml tensor types (elements per block, bytes per block), as defined by ggml's type traits.
/// Removed or unknown type ids have no entry: their size is unknown.
/// </summary>
internal static class GgmlTypeInfo
{
    private static readonly Dictionary<uint, (string Name, int BlockSize, int TypeSize)> Types = new()
    {
        [0] = ("F32", 1, 4),
        [1] = ("F16", 1, 2),
        [2] = ("Q4_0", 32, 18),
        [3] = ("Q4_1", 32, 20),
        [6] = ("Q5_0", 32, 22),
        [7] = ("Q5_1", 32, 24),
        [8] = ("Q8_0", 32, 34),
        [9] = ("Q8_1", 32, 36),
        [10] = ("Q2_K", 256, 84),
        [11] = ("Q3_K", 256, 110),
        [12] = ("Q4_K", 256, 144),
        [13] = ("Q5_K", 256, 176),
        [14] = ("Q6_K", 256, 210),
        [15] = ("Q8_K", 256, 292),
        [16] = ("IQ2_XXS", 256, 66),
        [17] = ("IQ2_XS", 256, 74),
        [18] = ("IQ3_XXS", 256, 98),
        [19] = ("IQ1_S", 256, 50),
        [20] = ("IQ4_NL", 32, 18),
        [21] = ("IQ3_S", 256, 110),
        [22] = ("IQ2_S", 256, 82),
        [23] = ("IQ4_XS", 256, 136),
        [24] = ("I8", 1, 1),
        [25] = ("I16", 1, 2),
        [26] = ("I32", 1, 4),
        [27] = ("I64", 1, 8),
        [28] = ("F64", 1, 8),
        [29] = ("IQ1_M", 256, 56),
        [30] = ("BF16", 1, 2),
        [34] = ("TQ1_0", 256, 54),
        [35] = ("TQ2_0", 256, 66),
        [39] = ("MXFP4", 32, 17),
    };

    /// <summary>The type id of F32, the only type llama.cpp's CPU kernels accept for norm weights and RoPE factors.</summary>
    public const uint F32 = 0;

    /// <summary>
    /// The types llama.cpp's CPU backend can both multiply by (<c>mul_mat</c>, <c>mul_mat_id</c>) and look rows up in
    /// (<c>get_rows</c>, the token embedding): the float types and every quantization with a dot-product kernel.
    /// Excluded, because the process crashes on them (checked by loading files, and in ggml's CPU type traits): the
    /// integer types I8-I64 and F64 (no dot product: SIGSEGV), and Q8_1 and Q8_K, which exist only as the
    /// intermediate format of other quantizations.
    /// </summary>
    private static readonly HashSet<uint> RunnableWeightTypes = [0, 1, 2, 3, 6, 7, 8, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 21, 22, 23, 29, 30, 34, 35, 39];

    /// <summary>The names of <see cref="RunnableWeightTypes"/>, for messages.</summary>
    public static string RunnableWeightTypeNames => string.Join(", ", RunnableWeightTypes.Order().Select(GetName));

    /// <summary>True for a type llama.cpp's CPU kernels can run as a weight matrix or embedding table.</summary>
    public static bool IsRunnableWeight(uint typeId) => RunnableWeightTypes.Contains(typeId);

    /// <summary>The block layout of a type id; false when the type is unknown.</summary>
    public static bool TryGetLayout(uint typeId, out int blockSize, out int typeSize)
    {
        if (Types.TryGetValue(typeId, out (string Name, int BlockSize, int TypeSize) info))
        {
            blockSize = info.BlockSize;
            typeSize = info.TypeSize;
            return true;
        }

        blockSize = 0;
        typeSize = 0;
        return false;
    }

    /// <summary>The ggml name of a type id (<c>Q4_K</c>), or <c>type N</c> when unknown.</summary>
    public static string GetName(uint typeId) =>
        Types.TryGetValue(typeId, out (string Name, int BlockSize, int TypeSize) info)
            ? info.Name
            : "type " + typeId.ToString(CultureInfo.InvariantCulture);
}
