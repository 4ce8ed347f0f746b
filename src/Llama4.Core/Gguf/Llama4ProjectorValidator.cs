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
        var check = new GgufMetadataChecker(file, GgufFileKind.Projector);
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
}
