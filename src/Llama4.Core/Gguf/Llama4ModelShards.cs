using System.Globalization;

namespace Llama4.Core.Gguf;

/// <summary>
/// The files of a model (one, or every shard of a split model, found by llama.cpp's naming scheme) and their tensors.
/// llama.cpp reads each later shard's <c>split.no</c> with an assertion on its type (a shard whose <c>split.no</c> is
/// not uint16 aborts the process), refuses a tensor that appears in two shards, and checks <c>split.tensors.count</c>.
/// </summary>
internal sealed class Llama4ModelShards
{
    private const string CountKey = "split.count";
    private const string IndexKey = "split.no";
    private const string TensorsKey = "split.tensors.count";

    private readonly GgufFile _first;
    private readonly int? _declaredTensorCount;

    private Llama4ModelShards(GgufFile first, int count, long totalBytes, long tensorDataBytes, IReadOnlyList<GgufTensorInfo> tensors, int? declaredTensorCount)
    {
        _first = first;
        Count = count;
        TotalBytes = totalBytes;
        TensorDataBytes = tensorDataBytes;
        Tensors = tensors;
        _declaredTensorCount = declaredTensorCount;
    }

    /// <summary>Gets the number of files (1 when the model is not split).</summary>
    public int Count { get; }

    /// <summary>Gets the size of all files together.</summary>
    public long TotalBytes { get; }

    /// <summary>Gets the tensor data bytes of all files together.</summary>
    public long TensorDataBytes { get; }

    /// <summary>Gets the tensors of all files.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>Reads the other shards of a split model (a file that is not split is its only shard).</summary>
    /// <param name="first">The file the caller passed.</param>
    /// <returns>The shards.</returns>
    /// <exception cref="Llama4ModelValidationException">The file is a later shard, is misnamed, or a shard is missing or inconsistent.</exception>
    public static Llama4ModelShards Read(GgufFile first)
    {
        string path = first.Path;
        int? count = OptionalInt(first, CountKey);
        int index = OptionalInt(first, IndexKey) ?? 0;
        int? tensorCount = OptionalInt(first, TensorsKey);
        long dataBytes = GgufTensorData.MappedBytes(first);
        if (count is null || count <= 1)
        {
            return new Llama4ModelShards(first, 1, first.FileLength, dataBytes, first.Tensors, tensorCount);
        }

        if (index != 0)
        {
            throw Invalid(path, Format($"The model file '{path}' is shard {index + 1} of {count} of a split model ('{IndexKey}' = {index}); pass the first shard instead (its name ends in -00001-of-{count:D5}.gguf)."));
        }

        string suffix = Format($"-00001-of-{count:D5}.gguf");
        if (!path.EndsWith(suffix, StringComparison.Ordinal))
        {
            throw Invalid(path, Format($"The model file '{path}' is the first of {count} shards ('{CountKey}'), but its name does not end in '{suffix}', which llama.cpp needs to find the other shards; restore the shards' original names."));
        }

        string prefix = path[..^suffix.Length];
        long total = first.FileLength;
        var tensors = new List<GgufTensorInfo>(first.Tensors);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (GgufTensorInfo tensor in first.Tensors)
        {
            names[tensor.Name] = 1;
        }

        for (int i = 2; i <= count; i++)
        {
            string shardPath = Format($"{prefix}-{i:D5}-of-{count:D5}.gguf");
            var info = new FileInfo(shardPath);
            if (!info.Exists)
            {
                throw new Llama4ModelValidationException(
                    Llama4ModelProblem.FileNotFound,
                    path,
                    Format($"Shard {i} of {count} of the split model '{path}' is missing: expected '{shardPath}'; download every shard into the same folder."));
            }

            GgufFile shard = GgufFile.Read(shardPath);
            CheckShardIndex(path, shard, i);
            foreach (GgufTensorInfo tensor in shard.Tensors)
            {
                if (!names.TryAdd(tensor.Name, i))
                {
                    throw new Llama4ModelValidationException(
                        Llama4ModelProblem.InvalidTensor,
                        path,
                        Format($"The tensor '{tensor.Name}' of the split model '{path}' is in shard {names[tensor.Name]} and again in shard {i}; llama.cpp refuses such a model. Download the shards again."));
                }

                tensors.Add(tensor);
            }

            total += info.Length;
            dataBytes += GgufTensorData.MappedBytes(shard);
        }

        return new Llama4ModelShards(first, count.Value, total, dataBytes, tensors, tensorCount);
    }

    /// <summary>Checks <c>split.tensors.count</c> (when present) against the tensors found.</summary>
    /// <param name="expected">The number of tensors the model has.</param>
    /// <exception cref="Llama4ModelValidationException">The count disagrees.</exception>
    public void CheckTensorCount(int expected)
    {
        if (Count > 1 && _declaredTensorCount is { } declared && declared != expected)
        {
            throw Invalid(_first.Path, Format($"The split model '{_first.Path}' declares {declared} tensors ('{TensorsKey}') but its {Count} shards hold {expected}; llama.cpp refuses it. Download the shards again."));
        }
    }

    private static void CheckShardIndex(string path, GgufFile shard, int number)
    {
        // llama.cpp reads a later shard's index with gguf_get_val_u16, which aborts the process on any other type.
        if (!shard.TryGetValue(IndexKey, out GgufMetadataValue value) || value.Type != GgufValueType.UInt16 || (ushort)value.Value != number - 1)
        {
            throw Invalid(path, Format($"Shard {number} of the split model '{path}' ('{shard.Path}') does not say it is shard {number}: its '{IndexKey}' must be the uint16 {number - 1} (llama.cpp aborts the process on another type). Download the shards again."));
        }
    }

    private static int? OptionalInt(GgufFile file, string key)
    {
        if (!file.TryGetValue(key, out GgufMetadataValue value))
        {
            return null;
        }

        return value.TryGetInt64(out long number) && number is >= 0 and <= int.MaxValue
            ? (int)number
            : throw Invalid(file.Path, Format($"The model file '{file.Path}' has an invalid '{key}' ({value.TypeName} {value}): it must be a small non-negative integer (uint16)."));
    }

    private static Llama4ModelValidationException Invalid(string path, string message) =>
        new(Llama4ModelProblem.InvalidMetadata, path, message);

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
