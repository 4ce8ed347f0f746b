using System.Globalization;

namespace Llama4.Core.Gguf;

/// <summary>
/// Pre-flight checks of a Llama 4 vision projector (an <c>mmproj</c> GGUF) in managed code, before llama.cpp's mtmd
/// sees it. mtmd aborts the whole process on many malformed projectors (a key of the wrong type, a missing
/// <c>clip.vision.projector.scale_factor</c>, <c>v.class_embd</c>, <c>v.position_embd.weight</c> or attention weight,
/// a wrong tensor shape, a head size not divisible by 4, a patch grid not divisible by the scale factor), which no
/// exception handler can catch. Every key mtmd reads is checked for presence and exact type, every tensor for presence
/// and shape, and the projector's output width against the text model's.
/// </summary>
internal static class Llama4ProjectorValidator
{
    private const string Vision = "clip.vision.";

    /// <summary>Reads and checks the projector at <paramref name="path"/> against a text model.</summary>
    /// <param name="path">The projector's path.</param>
    /// <param name="model">The validated text model it will feed.</param>
    /// <returns>What the projector says about itself.</returns>
    /// <exception cref="Llama4ModelValidationException">The file cannot be used; <see cref="Llama4ModelValidationException.Problem"/> says why.</exception>
    public static Llama4ProjectorInfo Validate(string path, Llama4ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.FileNotFound,
                path ?? string.Empty,
                "No projector path was given; set ProjectorPath to the full path of a Llama 4 mmproj .gguf file.");
        }

        return Validate(GgufFile.Read(Path.GetFullPath(path)), model.EmbeddingLength);
    }

    /// <summary>Checks an already read projector header against the text model's width.</summary>
    /// <param name="file">The header.</param>
    /// <param name="textEmbeddingLength">The text model's <c>llama4.embedding_length</c>.</param>
    /// <returns>What the projector says about itself.</returns>
    /// <exception cref="Llama4ModelValidationException">The file cannot be used.</exception>
    internal static Llama4ProjectorInfo Validate(GgufFile file, int textEmbeddingLength)
    {
        var check = new Checker(file);
        string architecture = check.RequiredString("general.architecture");
        if (!string.Equals(architecture, "clip", StringComparison.Ordinal))
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.UnsupportedArchitecture,
                file.Path,
                $"The projector file '{file.Path}' has general.architecture '{architecture}', but a vision projector is a 'clip' file; set ProjectorPath to the Llama 4 mmproj GGUF (not the text model).");
        }

        string projectorType = check.RequiredString("clip.projector_type");
        if (!string.Equals(projectorType, "llama4", StringComparison.Ordinal))
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.UnsupportedArchitecture,
                file.Path,
                $"The projector file '{file.Path}' has clip.projector_type '{projectorType}', but only 'llama4' projectors work with a Llama 4 text model; use the mmproj converted from the same Llama 4 checkpoint.");
        }

        if (!check.RequiredBool("clip.has_vision_encoder"))
        {
            throw check.Invalid("clip.has_vision_encoder", "is false: the file has no vision encoder; use a vision mmproj file");
        }

        check.OptionalBool("clip.use_gelu");
        check.OptionalBool("clip.use_silu");
        int imageSize = check.RequiredUInt32(Vision + "image_size");
        int patchSize = check.RequiredUInt32(Vision + "patch_size");
        int width = check.RequiredUInt32(Vision + "embedding_length");
        int feedForward = check.RequiredUInt32(Vision + "feed_forward_length");
        int blocks = check.RequiredUInt32(Vision + "block_count");
        int heads = check.RequiredUInt32(Vision + "attention.head_count");
        check.RequiredPositiveFloat32(Vision + "attention.layer_norm_epsilon");
        check.OptionalUInt32(Vision + "projection_dim");
        int scale = check.RequiredUInt32(Vision + "projector.scale_factor");
        check.Float32Triple(Vision + "image_mean");
        check.Float32Triple(Vision + "image_std");

        if (width % heads != 0)
        {
            throw check.Invalid(Vision + "attention.head_count", Format($"is {heads}, which does not divide {Vision}embedding_length ({width}) into whole heads (mtmd aborts the process)"));
        }

        if (width / heads % 4 != 0)
        {
            throw check.Invalid(Vision + "attention.head_count", Format($"gives a head size of {width / heads}, but the Llama 4 vision encoder's 2D RoPE needs a head size divisible by 4 (mtmd aborts the process)"));
        }

        if (imageSize % patchSize != 0)
        {
            throw check.Invalid(Vision + "image_size", Format($"is {imageSize}, which is not a multiple of {Vision}patch_size ({patchSize}) (mtmd aborts the process)"));
        }

        int side = imageSize / patchSize;
        if (side % scale != 0)
        {
            throw check.Invalid(Vision + "projector.scale_factor", Format($"is {scale}, which does not divide the {side}x{side} patch grid (image_size / patch_size) (mtmd aborts the process)"));
        }

        check.Tensor("v.patch_embd.weight", required: true, 3L * patchSize * patchSize, width);
        check.Tensor("v.class_embd", required: true, width);
        check.Tensor("v.position_embd.weight", required: true, width, ((long)side * side) + 1);
        foreach (string norm in new[] { "v.pre_ln", "v.post_ln" })
        {
            check.Tensor(norm + ".weight", required: false, width);
            check.Tensor(norm + ".bias", required: false, width);
        }

        for (int block = 0; block < blocks; block++)
        {
            string b = string.Create(CultureInfo.InvariantCulture, $"v.blk.{block}.");
            foreach (string norm in new[] { "ln1", "ln2" })
            {
                check.Tensor(b + norm + ".weight", required: true, width);
                check.Tensor(b + norm + ".bias", required: false, width);
            }

            foreach (string attention in new[] { "attn_q", "attn_k", "attn_v", "attn_out" })
            {
                check.Tensor(b + attention + ".weight", required: true, width, width);
                check.Tensor(b + attention + ".bias", required: false, width);
            }

            check.Tensor(b + "ffn_up.weight", required: true, width, feedForward);
            check.Tensor(b + "ffn_up.bias", required: false, feedForward);
            check.Tensor(b + "ffn_down.weight", required: true, feedForward, width);
            check.Tensor(b + "ffn_down.bias", required: false, width);
        }

        long[] first = check.Matrix("mm.model.mlp.1.weight", (long)width * scale * scale);
        long[] second = check.Matrix("mm.model.mlp.2.weight", first[1]);
        long[] output = check.Matrix("mm.model.fc.weight", second[1]);
        if (output[1] != textEmbeddingLength)
        {
            throw new Llama4ModelValidationException(
                Llama4ModelProblem.ProjectorMismatch,
                file.Path,
                Format($"The projector '{file.Path}' produces embeddings of width {output[1]} (mm.model.fc.weight), but the text model's llama4.embedding_length is {textEmbeddingLength}; use the mmproj file converted from the same Llama 4 checkpoint as the model."));
        }

        return new Llama4ProjectorInfo(file.Path, imageSize, patchSize, scale, textEmbeddingLength, file.FileLength);
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Checker
    {
        private readonly GgufFile _file;
        private readonly Dictionary<string, GgufTensorInfo> _tensors;

        public Checker(GgufFile file)
        {
            _file = file;
            _tensors = new Dictionary<string, GgufTensorInfo>(StringComparer.Ordinal);
            foreach (GgufTensorInfo tensor in file.Tensors)
            {
                _tensors.TryAdd(tensor.Name, tensor);
            }
        }

        private string FilePath => _file.Path;

        public string RequiredString(string key)
        {
            GgufMetadataValue value = Required(key);
            return value.AsString ?? throw WrongType(key, value, "a string");
        }

        public bool RequiredBool(string key) => ReadBool(key, Required(key));

        public void OptionalBool(string key)
        {
            if (_file.TryGetValue(key, out GgufMetadataValue value))
            {
                ReadBool(key, value);
            }
        }

        public int RequiredUInt32(string key) => ReadPositiveUInt32(key, Required(key));

        public void OptionalUInt32(string key)
        {
            if (_file.TryGetValue(key, out GgufMetadataValue value))
            {
                ReadPositiveUInt32(key, value);
            }
        }

        public void RequiredPositiveFloat32(string key)
        {
            GgufMetadataValue value = Required(key);
            if (value.Type != GgufValueType.Float32)
            {
                throw WrongType(key, value, "float32");
            }

            float number = (float)value.Value;
            if (!float.IsFinite(number) || number <= 0)
            {
                throw Invalid(key, Format($"is {number}, but it must be a positive number (typically 1e-5)"));
            }
        }

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
        public void Tensor(string name, bool required, params long[] expected)
        {
            if (!_tensors.TryGetValue(name, out GgufTensorInfo? tensor))
            {
                if (required)
                {
                    throw MissingTensor(name);
                }

                return;
            }

            if (!ShapeIs(tensor, expected))
            {
                throw WrongShape(tensor, "[" + string.Join(", ", expected) + "]");
            }
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
                throw WrongShape(tensor, Format($"[{inputs}, n]"));
            }

            return shape;
        }

        public Llama4ModelValidationException Invalid(string key, string detail) => new(
            Llama4ModelProblem.InvalidMetadata,
            FilePath,
            $"The projector file '{FilePath}' has an invalid '{key}': it {detail}; re-convert the mmproj with a current llama.cpp converter.");

        private static bool ShapeIs(GgufTensorInfo tensor, long[] expected)
        {
            // ggml pads shapes with trailing 1s: [n] and [n, 1] are the same tensor.
            int length = tensor.Dimensions.Count;
            while (length > expected.Length && tensor.Dimensions[length - 1] == 1)
            {
                length--;
            }

            if (length != expected.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if ((long)tensor.Dimensions[i] != expected[i])
                {
                    return false;
                }
            }

            return true;
        }

        private Llama4ModelValidationException MissingTensor(string name) => new(
            Llama4ModelProblem.InvalidTensor,
            FilePath,
            $"The projector file '{FilePath}' has no tensor '{name}', which a Llama 4 vision projector needs (mtmd would crash the process); re-convert the mmproj with a current llama.cpp converter.");

        private Llama4ModelValidationException WrongShape(GgufTensorInfo tensor, string expected) => new(
            Llama4ModelProblem.InvalidTensor,
            FilePath,
            $"The projector file '{FilePath}' has tensor '{tensor.Name}' of shape [{string.Join(", ", tensor.Dimensions)}], but its metadata implies {expected} (mtmd would crash the process); re-convert the mmproj with a current llama.cpp converter.");

        private GgufMetadataValue Required(string key) =>
            _file.TryGetValue(key, out GgufMetadataValue value)
                ? value
                : throw new Llama4ModelValidationException(
                    Llama4ModelProblem.MissingMetadata,
                    FilePath,
                    $"The projector file '{FilePath}' has no '{key}' key, which a Llama 4 vision projector needs (mtmd would fail or crash the process); re-convert the mmproj with a current llama.cpp converter.");

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
            if (number is 0 or > int.MaxValue)
            {
                throw Invalid(key, Format($"is {number}, but it must be a positive size"));
            }

            return (int)number;
        }

        private Llama4ModelValidationException WrongType(string key, GgufMetadataValue value, string expected) => new(
            Llama4ModelProblem.InvalidMetadata,
            FilePath,
            $"The projector file '{FilePath}' stores '{key}' as {value.TypeName}, but {expected} is expected (mtmd aborts the process on a key of the wrong type); re-convert the mmproj with a current llama.cpp converter.");
    }
}
