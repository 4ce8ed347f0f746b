using System.Globalization;

namespace Llama4.Core.Gguf;

/// <summary>
/// Key-by-key and tensor-by-tensor checks over one GGUF file, shared by the model and projector validators. Every
/// refusal is a <see cref="Llama4ModelValidationException"/> whose message names the file, the key or tensor, what is
/// wrong and how to fix it, worded for the kind of file (a model re-exported, a projector re-converted).
/// </summary>
internal sealed class GgufMetadataChecker
{
    private readonly GgufFile _file;
    private readonly GgufFileKind _kind;
    private readonly Dictionary<string, GgufTensorInfo> _tensors = new(StringComparer.Ordinal);

    /// <summary>Creates a checker.</summary>
    /// <param name="file">The file (the first shard of a split model).</param>
    /// <param name="kind">The kind of file, for the wording.</param>
    /// <param name="tensors">The tensors to check, when they are not all in <paramref name="file"/> (a split model).</param>
    public GgufMetadataChecker(GgufFile file, GgufFileKind kind, IEnumerable<GgufTensorInfo>? tensors = null)
    {
        _file = file;
        _kind = kind;
        foreach (GgufTensorInfo tensor in tensors ?? file.Tensors)
        {
            _tensors.TryAdd(tensor.Name, tensor);
        }
    }

    /// <summary>Gets the file's path.</summary>
    public string FilePath => _file.Path;

    /// <summary>Gets the tensors by name.</summary>
    public IReadOnlyDictionary<string, GgufTensorInfo> Tensors => _tensors;

    private string Subject => _kind == GgufFileKind.Model ? "model file" : "projector file";

    private string Fix => _kind == GgufFileKind.Model
        ? "re-export the model with a current llama.cpp converter (convert_hf_to_gguf.py)"
        : "re-convert the mmproj with a current llama.cpp converter";

    /// <summary>Looks a key up.</summary>
    public bool TryGetValue(string key, out GgufMetadataValue value) => _file.TryGetValue(key, out value);

    /// <summary>The value of a key that must be present.</summary>
    public GgufMetadataValue Required(string key) => _file.TryGetValue(key, out GgufMetadataValue value) ? value : throw Missing(key);

    /// <summary>A string key that must be present and be a string.</summary>
    public string RequiredString(string key)
    {
        GgufMetadataValue value = Required(key);
        return value.AsString ?? throw WrongType(key, value, "a string");
    }

    /// <summary>A string key's value, or null when the key is absent or not a string (for keys read leniently).</summary>
    public string? OptionalString(string key) =>
        _file.TryGetValue(key, out GgufMetadataValue value) ? value.AsString : null;

    /// <summary>A string key's value, or null when it is absent; a value of another type is refused.</summary>
    public string? OptionalStrictString(string key) =>
        _file.TryGetValue(key, out GgufMetadataValue value) ? value.AsString ?? throw WrongType(key, value, "a string") : null;

    /// <summary>An integer key of any width that must be present and at least <paramref name="minimum"/>.</summary>
    public int RequiredInt(string key, int minimum, string? why) => CheckMinimum(key, ToInt(key, Required(key)), minimum, why);

    /// <summary>An integer key of any width, or null when it is absent.</summary>
    public int? OptionalInt(string key) =>
        _file.TryGetValue(key, out GgufMetadataValue value) ? ToInt(key, value) : null;

    /// <summary>An integer key of any width that, when present, must be at least <paramref name="minimum"/>.</summary>
    public int? OptionalInt(string key, int minimum, string why) =>
        OptionalInt(key) is { } number ? CheckMinimum(key, number, minimum, why) : null;

    /// <summary>A key llama.cpp reads as "a scalar or one value per layer" (head counts, FFN width).</summary>
    public int[] RequiredPerLayer(string key, int blockCount, string? whyPositive) =>
        OptionalPerLayer(key, blockCount, whyPositive) ?? throw Missing(key);

    /// <summary>A per-layer key, or null when it is absent.</summary>
    public int[]? OptionalPerLayer(string key, int blockCount, string? whyPositive)
    {
        if (!_file.TryGetValue(key, out GgufMetadataValue? value))
        {
            return null;
        }

        int[] values;
        if (value.IsArray)
        {
            if (!value.TryGetInt64Array(out long[] raw))
            {
                throw WrongType(key, value, "an integer or an array of integers");
            }

            if (raw.Length != blockCount)
            {
                throw Invalid(key, Format($"has {raw.Length} per-layer values but the model has {blockCount} layers; re-export the model"));
            }

            values = [.. raw.Select(v => Narrow(key, v))];
        }
        else
        {
            values = [.. Enumerable.Repeat(ToInt(key, value), blockCount)];
        }

        if (whyPositive is not null)
        {
            foreach (int v in values)
            {
                CheckMinimum(key, v, 1, whyPositive);
            }
        }

        return values;
    }

    /// <summary>A float key (float32 or float64) that must be present, finite and positive.</summary>
    public void RequiredPositiveFloat(string key)
    {
        GgufMetadataValue value = Required(key);
        if (!value.TryGetDouble(out double number))
        {
            throw WrongType(key, value, "float32");
        }

        CheckPositive(key, number);
    }

    /// <summary>A float32 key (exactly) that must be present, finite and positive.</summary>
    public void RequiredPositiveFloat32(string key)
    {
        GgufMetadataValue value = Required(key);
        if (value.Type != GgufValueType.Float32)
        {
            throw WrongType(key, value, "float32");
        }

        CheckPositive(key, (float)value.Value);
    }

    /// <summary>A bool key that must be present.</summary>
    public bool RequiredBool(string key) => ReadBool(key, Required(key));

    /// <summary>A bool key that, when present, must be a bool.</summary>
    public void OptionalBool(string key)
    {
        if (_file.TryGetValue(key, out GgufMetadataValue value))
        {
            ReadBool(key, value);
        }
    }

    /// <summary>A uint32 key (exactly) that must be present and positive.</summary>
    public int RequiredUInt32(string key) => ReadPositiveUInt32(key, Required(key));

    /// <summary>A uint32 key that, when present, must be exactly uint32 and positive.</summary>
    public void OptionalUInt32(string key)
    {
        if (_file.TryGetValue(key, out GgufMetadataValue value))
        {
            ReadPositiveUInt32(key, value);
        }
    }

    /// <summary>A key that must be an array of exactly 3 float32 (one per RGB channel).</summary>
    public void Float32Triple(string key)
    {
        GgufMetadataValue value = Required(key);
        if (!value.IsArray || value.ElementType != GgufValueType.Float32)
        {
            throw WrongType(key, value, "an array of 3 float32 (one per RGB channel)");
        }

        if (value.ArrayLength != 3)
        {
            throw Invalid(key, Format($"has {value.ArrayLength} values, but mtmd reads one per RGB channel (3)"));
        }
    }

    /// <summary>Checks a tensor's shape (ggml order, ne[0] first) when present; a required one must be present.</summary>
    /// <returns>The tensor, or null when an optional one is absent.</returns>
    public GgufTensorInfo? Tensor(string name, bool required, params long[] expected) =>
        Tensor(name, required, because: null, expected);

    /// <summary>Checks a tensor's shape, naming in <paramref name="because"/> the metadata the shape follows from.</summary>
    /// <returns>The tensor, or null when an optional one is absent.</returns>
    public GgufTensorInfo? Tensor(string name, bool required, string? because, params long[] expected)
    {
        if (!_tensors.TryGetValue(name, out GgufTensorInfo? tensor))
        {
            return required ? throw MissingTensor(name) : null;
        }

        return ShapeIs(tensor, expected) ? tensor : throw WrongShape(tensor, "[" + string.Join(", ", expected) + "]", because);
    }

    /// <summary>Checks a required 2D tensor whose first dimension is known; returns its shape.</summary>
    public long[] Matrix(string name, long inputs)
    {
        if (!_tensors.TryGetValue(name, out GgufTensorInfo? tensor))
        {
            throw MissingTensor(name);
        }

        long[] shape = [.. tensor.Dimensions.Select(d => (long)d)];
        while (shape.Length > 2 && shape[^1] == 1)
        {
            shape = shape[..^1];
        }

        if (shape.Length != 2 || shape[0] != inputs || shape[1] < 1)
        {
            throw WrongShape(tensor, Format($"[{inputs}, n]"), because: null);
        }

        return shape;
    }

    /// <summary>The refusal for a key whose value llama.cpp cannot run with.</summary>
    public Llama4ModelValidationException Invalid(string key, string detail) => new(
        Llama4ModelProblem.InvalidMetadata,
        FilePath,
        _kind == GgufFileKind.Model
            ? $"The model file '{FilePath}' has an invalid '{key}': it {detail}."
            : $"The projector file '{FilePath}' has an invalid '{key}': it {detail}; {Fix}.");

    /// <summary>The refusal for a missing key.</summary>
    public Llama4ModelValidationException Missing(string key) => new(
        Llama4ModelProblem.MissingMetadata,
        FilePath,
        _kind == GgufFileKind.Model
            ? $"The model file '{FilePath}' has no '{key}' key, which llama.cpp requires for a llama4 model; {Fix}."
            : $"The projector file '{FilePath}' has no '{key}' key, which a Llama 4 vision projector needs (mtmd would fail or crash the process); {Fix}.");

    /// <summary>The refusal for a key of the wrong type.</summary>
    public Llama4ModelValidationException WrongType(string key, GgufMetadataValue value, string expected) => new(
        Llama4ModelProblem.InvalidMetadata,
        FilePath,
        $"The {Subject} '{FilePath}' stores '{key}' as {value.TypeName}, but {expected} is expected{(_kind == GgufFileKind.Projector ? " (mtmd aborts the process on a key of the wrong type)" : string.Empty)}; {Fix}.");

    /// <summary>The refusal for a missing tensor.</summary>
    public Llama4ModelValidationException MissingTensor(string name) => new(
        Llama4ModelProblem.InvalidTensor,
        FilePath,
        _kind == GgufFileKind.Model
            ? $"The model file '{FilePath}' has no tensor '{name}', which a llama4 model with this metadata needs; {Fix}."
            : $"The projector file '{FilePath}' has no tensor '{name}', which a Llama 4 vision projector needs (mtmd would crash the process); {Fix}.");

    /// <summary>The refusal for a tensor whose shape is not the one the metadata implies.</summary>
    public Llama4ModelValidationException WrongShape(GgufTensorInfo tensor, string expected, string? because) => new(
        Llama4ModelProblem.InvalidTensor,
        FilePath,
        $"The {Subject} '{FilePath}' has tensor '{tensor.Name}' of shape [{string.Join(", ", tensor.Dimensions)}], but its metadata implies {expected}{(because is null ? string.Empty : " (" + because + ")")}{(_kind == GgufFileKind.Projector ? " (mtmd would crash the process)" : ": the file's widths and weights disagree, so one of them is damaged")}; {Fix}.");

    /// <summary>The refusal for a tensor llama.cpp's kernels cannot run in its role.</summary>
    public Llama4ModelValidationException UnsupportedTensorType(GgufTensorInfo tensor, string role, string allowed) => new(
        Llama4ModelProblem.InvalidTensor,
        FilePath,
        $"The {Subject} '{FilePath}' stores tensor '{tensor.Name}' as {tensor.TypeName}, which llama.cpp's CPU kernels cannot run as {role} (it crashes the process at load or at the first request); {role} must be {allowed}. Download or quantize the model again with a current llama.cpp.");

    /// <summary>Formats with the invariant culture.</summary>
    public static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static bool ShapeIs(GgufTensorInfo tensor, long[] expected)
    {
        // ggml pads shapes with trailing 1s: [n] and [n, 1] are the same tensor.
        int length = tensor.Dimensions.Count;
        while (length > expected.Length && tensor.Dimensions[length - 1] == 1)
        {
            length--;
        }

        int compared = Math.Max(length, expected.Length);
        for (int i = 0; i < compared; i++)
        {
            long actual = i < length ? (long)tensor.Dimensions[i] : 1;
            long wanted = i < expected.Length ? expected[i] : 1;
            if (actual != wanted)
            {
                return false;
            }
        }

        return true;
    }

    private void CheckPositive(string key, double number)
    {
        if (!double.IsFinite(number) || number <= 0)
        {
            throw Invalid(key, Format($"is {number}, but it must be a positive number (typically 1e-5)"));
        }
    }

    private int CheckMinimum(string key, int value, int minimum, string? why)
    {
        if (value < minimum)
        {
            throw Invalid(key, Format($"is {value}: {why ?? "it must be positive"}"));
        }

        return value;
    }

    private int ToInt(string key, GgufMetadataValue value) =>
        value.TryGetInt64(out long number) ? Narrow(key, number) : throw WrongType(key, value, "an integer (uint32)");

    private int Narrow(string key, long number) => number is < int.MinValue or > int.MaxValue
        ? throw Invalid(key, Format($"is {number}, which is out of range for llama.cpp; check the file (it is probably damaged)"))
        : (int)number;

    private bool ReadBool(string key, GgufMetadataValue value) =>
        value.Type == GgufValueType.Bool ? (bool)value.Value : throw WrongType(key, value, "bool");

    private int ReadPositiveUInt32(string key, GgufMetadataValue value)
    {
        // mtmd reads these with gguf_get_val_u32, which aborts the process on any other type.
        if (value.Type != GgufValueType.UInt32)
        {
            throw WrongType(key, value, "uint32");
        }

        uint number = (uint)value.Value;
        return number is 0 or > int.MaxValue
            ? throw Invalid(key, Format($"is {number}, but it must be a positive size"))
            : (int)number;
    }
}
