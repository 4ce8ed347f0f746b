using System.Globalization;
using Llama4.TinyModel.Gguf;

namespace Llama4.TinyModel.Internal;

/// <summary>Builds the metadata and tensor list of a tiny Llama 4 vision projector from its options, in a fixed order.</summary>
internal static class TinyProjectorLayout
{
    public static List<GgufMetadataEntry> BuildMetadata(TinyProjectorOptions options)
    {
        var entries = new List<GgufMetadataEntry>
        {
            GgufMetadataEntry.String("general.architecture", "clip"),
            GgufMetadataEntry.String("general.name", "llama4-tiny-mmproj"),
            GgufMetadataEntry.UInt32("general.alignment", TinyModelLayout.DefaultAlignment),
            GgufMetadataEntry.UInt32("general.file_type", 0u),
            GgufMetadataEntry.String("clip.projector_type", "llama4"),
            GgufMetadataEntry.Bool("clip.has_vision_encoder", true),
            GgufMetadataEntry.Bool("clip.use_gelu", true),
            GgufMetadataEntry.UInt32("clip.vision.image_size", (uint)options.ImageSize),
            GgufMetadataEntry.UInt32("clip.vision.patch_size", (uint)options.PatchSize),
            GgufMetadataEntry.UInt32("clip.vision.embedding_length", (uint)options.EmbeddingLength),
            GgufMetadataEntry.UInt32("clip.vision.feed_forward_length", (uint)options.FeedForwardLength),
            GgufMetadataEntry.UInt32("clip.vision.block_count", (uint)options.BlockCount),
            GgufMetadataEntry.UInt32("clip.vision.attention.head_count", (uint)options.HeadCount),
            GgufMetadataEntry.Float32("clip.vision.attention.layer_norm_epsilon", 1e-5f),
            GgufMetadataEntry.UInt32("clip.vision.projection_dim", (uint)options.ProjectionLength),
            GgufMetadataEntry.UInt32("clip.vision.projector.scale_factor", (uint)options.ScaleFactor),
            GgufMetadataEntry.FromObject("clip.vision.image_mean", new[] { 0.5f, 0.5f, 0.5f }),
            GgufMetadataEntry.FromObject("clip.vision.image_std", new[] { 0.5f, 0.5f, 0.5f }),
        };

        TinyModelLayout.ApplyOverrides(entries, options.MetadataOverrides);

        return entries;
    }

    public static List<TensorSpec> BuildTensors(TinyProjectorOptions options)
    {
        long n = options.EmbeddingLength;
        long f = options.FeedForwardLength;
        long p = options.PatchSize;
        long side = options.ImageSize / options.PatchSize;
        long shuffled = n * options.ScaleFactor * options.ScaleFactor;
        long projection = options.ProjectionLength;

        var tensors = new List<TensorSpec>
        {
            Matrix("v.patch_embd.weight", 3 * p * p, n),
            Matrix("v.class_embd", n),
            Matrix("v.position_embd.weight", n, (side * side) + 1),
            Norm("v.pre_ln.weight", n),
            Matrix("v.pre_ln.bias", n),
        };

        for (int block = 0; block < options.BlockCount; block++)
        {
            string b = string.Create(CultureInfo.InvariantCulture, $"v.blk.{block}.");
            tensors.Add(Norm(b + "ln1.weight", n));
            tensors.Add(Matrix(b + "ln1.bias", n));
            foreach (string projectionName in new[] { "attn_q", "attn_k", "attn_v", "attn_out" })
            {
                tensors.Add(Matrix(b + projectionName + ".weight", n, n));
                tensors.Add(Matrix(b + projectionName + ".bias", n));
            }

            tensors.Add(Norm(b + "ln2.weight", n));
            tensors.Add(Matrix(b + "ln2.bias", n));
            tensors.Add(Matrix(b + "ffn_up.weight", n, f));
            tensors.Add(Matrix(b + "ffn_up.bias", f));
            tensors.Add(Matrix(b + "ffn_down.weight", f, n));
            tensors.Add(Matrix(b + "ffn_down.bias", n));
        }

        tensors.Add(Norm("v.post_ln.weight", n));
        tensors.Add(Matrix("v.post_ln.bias", n));
        tensors.Add(Matrix("mm.model.mlp.1.weight", shuffled, projection));
        tensors.Add(Matrix("mm.model.mlp.2.weight", projection, projection));
        tensors.Add(Matrix("mm.model.fc.weight", projection, options.TextEmbeddingLength));

        foreach (KeyValuePair<string, long[]?> pair in options.TensorShapeOverrides.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            int index = tensors.FindIndex(t => string.Equals(t.Name, pair.Key, StringComparison.Ordinal));
            if (pair.Value is null)
            {
                if (index >= 0)
                {
                    tensors.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                tensors[index] = tensors[index] with { Dimensions = [.. pair.Value] };
            }
            else
            {
                tensors.Add(Matrix(pair.Key, [.. pair.Value]));
            }
        }

        return tensors;
    }

    private static TensorSpec Norm(string name, long width) => new(name, [width], false, TensorFill.Ones);

    private static TensorSpec Matrix(string name, params long[] dimensions) => new(name, dimensions, false, TensorFill.Normal);
}
