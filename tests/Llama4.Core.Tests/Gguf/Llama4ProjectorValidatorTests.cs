using Llama4.Core.Gguf;
using Llama4.TinyModel;

namespace Llama4.Core.Tests.Gguf;

/// <summary>
/// Each malformed projector here aborts the process natively when llama.cpp's mtmd loads it or encodes the first image
/// (see LLAMA4-NOTES "Vision (mtmd)"): the managed validator must refuse it first, with a typed problem.
/// </summary>
public sealed class Llama4ProjectorValidatorTests
{
    private const int TextWidth = 128;

    public static TheoryData<string, Llama4ModelProblem, string> MalformedProjectors => new()
    {
        { "missing scale_factor", Llama4ModelProblem.MissingMetadata, "clip.vision.projector.scale_factor" },
        { "missing class_embd", Llama4ModelProblem.InvalidTensor, "v.class_embd" },
        { "missing position_embd", Llama4ModelProblem.InvalidTensor, "v.position_embd.weight" },
        { "missing attn_q", Llama4ModelProblem.InvalidTensor, "v.blk.1.attn_q.weight" },
        { "position_embd wrong shape", Llama4ModelProblem.InvalidTensor, "v.position_embd.weight" },
        { "patch_embd wrong shape", Llama4ModelProblem.InvalidTensor, "v.patch_embd.weight" },
        { "attn_k wrong shape", Llama4ModelProblem.InvalidTensor, "v.blk.0.attn_k.weight" },
        { "ffn_down wrong shape", Llama4ModelProblem.InvalidTensor, "v.blk.0.ffn_down.weight" },
        { "mlp chain broken", Llama4ModelProblem.InvalidTensor, "mm.model.mlp.2.weight" },
        { "optional bias wrong shape", Llama4ModelProblem.InvalidTensor, "v.blk.0.attn_q.bias" },
        { "head size not divisible by 4", Llama4ModelProblem.InvalidMetadata, "clip.vision.attention.head_count" },
        { "head size odd", Llama4ModelProblem.InvalidMetadata, "clip.vision.attention.head_count" },
        { "width not divisible by heads", Llama4ModelProblem.InvalidMetadata, "clip.vision.attention.head_count" },
        { "grid not divisible by scale", Llama4ModelProblem.InvalidMetadata, "clip.vision.projector.scale_factor" },
        { "image size not a multiple of patch", Llama4ModelProblem.InvalidMetadata, "clip.vision.image_size" },
        { "image_size as int32", Llama4ModelProblem.InvalidMetadata, "clip.vision.image_size" },
        { "use_gelu as string", Llama4ModelProblem.InvalidMetadata, "clip.use_gelu" },
        { "epsilon as float64", Llama4ModelProblem.InvalidMetadata, "clip.vision.attention.layer_norm_epsilon" },
        { "image_mean of 2", Llama4ModelProblem.InvalidMetadata, "clip.vision.image_mean" },
        { "image_std as int32 array", Llama4ModelProblem.InvalidMetadata, "clip.vision.image_std" },
        { "zero scale factor", Llama4ModelProblem.InvalidMetadata, "clip.vision.projector.scale_factor" },
        { "missing patch_size", Llama4ModelProblem.MissingMetadata, "clip.vision.patch_size" },
        { "text model architecture", Llama4ModelProblem.UnsupportedArchitecture, "'clip' file" },
        { "other projector type", Llama4ModelProblem.UnsupportedArchitecture, "clip.projector_type 'mlp'" },
        { "no vision encoder", Llama4ModelProblem.InvalidMetadata, "clip.has_vision_encoder" },
        { "output wider than the text model", Llama4ModelProblem.ProjectorMismatch, "llama4.embedding_length is 128" },
    };

    [Fact]
    public void Validate_DefaultProjector_ReportsTileArithmetic()
    {
        Llama4ProjectorInfo info = Validate(TinyProjectorOptions.Default);

        Assert.Equal(56, info.ImageSize);
        Assert.Equal(14, info.PatchSize);
        Assert.Equal(2, info.ScaleFactor);
        Assert.Equal(4, info.TokensPerTile);
        Assert.Equal(TextWidth, info.OutputEmbeddingLength);
    }

    [Fact]
    public void Validate_WithoutOptionalTensorsAndKeys_Passes()
    {
        var optional = new Dictionary<string, long[]?>
        {
            ["v.pre_ln.weight"] = null,
            ["v.pre_ln.bias"] = null,
            ["v.post_ln.weight"] = null,
            ["v.post_ln.bias"] = null,
            ["v.blk.0.attn_q.bias"] = null,
            ["v.blk.1.ffn_up.bias"] = null,
            ["v.blk.0.ln1.bias"] = null,
        };

        Llama4ProjectorInfo info = Validate(TinyProjectorOptions.Default with
        {
            TensorShapeOverrides = optional,
            MetadataOverrides = new Dictionary<string, object?> { ["clip.use_gelu"] = null, ["clip.vision.projection_dim"] = null },
        });

        Assert.Equal(4, info.TokensPerTile);
    }

    [Theory]
    [MemberData(nameof(MalformedProjectors))]
    public void Validate_MalformedProjector_ThrowsTypedProblemNamingTheKeyAndFix(string variant, Llama4ModelProblem expected, string named)
    {
        var error = Assert.Throws<Llama4ModelValidationException>(() => Validate(Malformed(variant)));

        Assert.Equal(expected, error.Problem);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.True(
            error.Message.Contains("re-convert", StringComparison.Ordinal) || error.Message.Contains("use ", StringComparison.Ordinal) || error.Message.Contains("set ProjectorPath", StringComparison.Ordinal),
            error.Message);
    }

    [Fact]
    public void Validate_TextModelFile_IsRefusedAsNotAProjector()
    {
        using var stream = new MemoryStream(TinyModelWriter.WriteToArray());
        GgufFile file = GgufFile.Read(stream, "model.gguf");

        var error = Assert.Throws<Llama4ModelValidationException>(() => Llama4ProjectorValidator.Validate(file, TextWidth));

        Assert.Equal(Llama4ModelProblem.UnsupportedArchitecture, error.Problem);
        Assert.Contains("general.architecture 'llama4'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingFile_IsFileNotFound()
    {
        var model = Llama4ModelValidator.Validate(TinyModelCache.GetOrCreate());

        var error = Assert.Throws<Llama4ModelValidationException>(() => Llama4ProjectorValidator.Validate(Path.Combine(Path.GetTempPath(), "no-such-mmproj.gguf"), model));

        Assert.Equal(Llama4ModelProblem.FileNotFound, error.Problem);
    }

    private static TinyProjectorOptions Malformed(string variant)
    {
        TinyProjectorOptions d = TinyProjectorOptions.Default;
        return variant switch
        {
            "missing scale_factor" => d with { MetadataOverrides = Keys(("clip.vision.projector.scale_factor", null)) },
            "missing class_embd" => d with { TensorShapeOverrides = Tensors(("v.class_embd", null)) },
            "missing position_embd" => d with { TensorShapeOverrides = Tensors(("v.position_embd.weight", null)) },
            "missing attn_q" => d with { TensorShapeOverrides = Tensors(("v.blk.1.attn_q.weight", null)) },
            "position_embd wrong shape" => d with { TensorShapeOverrides = Tensors(("v.position_embd.weight", [32, 16])) },
            "patch_embd wrong shape" => d with { TensorShapeOverrides = Tensors(("v.patch_embd.weight", [14, 14, 3, 32])) },
            "attn_k wrong shape" => d with { TensorShapeOverrides = Tensors(("v.blk.0.attn_k.weight", [32, 16])) },
            "ffn_down wrong shape" => d with { TensorShapeOverrides = Tensors(("v.blk.0.ffn_down.weight", [32, 64])) },
            "mlp chain broken" => d with { TensorShapeOverrides = Tensors(("mm.model.mlp.2.weight", [48, 64])) },
            "optional bias wrong shape" => d with { TensorShapeOverrides = Tensors(("v.blk.0.attn_q.bias", [31])) },
            "head size not divisible by 4" => d with { EmbeddingLength = 36, HeadCount = 2 },
            "head size odd" => d with { EmbeddingLength = 30, HeadCount = 2 },
            "width not divisible by heads" => d with { HeadCount = 3 },
            "grid not divisible by scale" => d with { ImageSize = 42 },
            "image size not a multiple of patch" => d with { ImageSize = 50 },
            "image_size as int32" => d with { MetadataOverrides = Keys(("clip.vision.image_size", 56)) },
            "use_gelu as string" => d with { MetadataOverrides = Keys(("clip.use_gelu", "true")) },
            "epsilon as float64" => d with { MetadataOverrides = Keys(("clip.vision.attention.layer_norm_epsilon", 1e-5)) },
            "image_mean of 2" => d with { MetadataOverrides = Keys(("clip.vision.image_mean", new[] { 0.5f, 0.5f })) },
            "image_std as int32 array" => d with { MetadataOverrides = Keys(("clip.vision.image_std", new[] { 1, 1, 1 })) },
            "zero scale factor" => d with { MetadataOverrides = Keys(("clip.vision.projector.scale_factor", 0u)) },
            "missing patch_size" => d with { MetadataOverrides = Keys(("clip.vision.patch_size", null)) },
            "text model architecture" => d with { MetadataOverrides = Keys(("general.architecture", "llama4")) },
            "other projector type" => d with { MetadataOverrides = Keys(("clip.projector_type", "mlp")) },
            "no vision encoder" => d with { MetadataOverrides = Keys(("clip.has_vision_encoder", false)) },
            "output wider than the text model" => d with { TextEmbeddingLength = 256 },
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown variant."),
        };
    }

    private static Llama4ProjectorInfo Validate(TinyProjectorOptions options, int textWidth = TextWidth)
    {
        using var stream = new MemoryStream(TinyProjectorWriter.WriteToArray(options));
        return Llama4ProjectorValidator.Validate(GgufFile.Read(stream, "mmproj.gguf"), textWidth);
    }

    private static Dictionary<string, object?> Keys(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static Dictionary<string, long[]?> Tensors(params (string Name, long[]? Shape)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Shape, StringComparer.Ordinal);
}
