using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Llama4.TinyModel.Gguf;

namespace Llama4.TinyModel;

/// <summary>
/// A folder of generated models shared by test processes: each file is named by a stable hash of its options and
/// written atomically (temporary file, then a move), so concurrent callers never see a partial file.
/// </summary>
public static class TinyModelCache
{
    /// <summary>The environment variable that overrides the cache folder.</summary>
    public const string DirectoryVariable = "LLAMA4_TINY_MODEL_CACHE";

    // Bump when the generator's output changes for the same options (layout, tokenizer, corpus, template).
    private const string FormatVersion = "llama4-tiny-format-3";

    // Bump when the projector generator's output changes for the same options.
    private const string ProjectorFormatVersion = "llama4-tiny-mmproj-format-1";

    /// <summary>The cache folder: <c>$LLAMA4_TINY_MODEL_CACHE</c>, or <c>llama4-tiny-models</c> in the temp folder.</summary>
    public static string DirectoryPath
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(DirectoryVariable);
            return string.IsNullOrWhiteSpace(configured)
                ? Path.Combine(Path.GetTempPath(), "llama4-tiny-models")
                : Path.GetFullPath(configured);
        }
    }

    /// <summary>Returns the path of the cached model for <paramref name="options"/>, writing it first if needed.</summary>
    /// <param name="options">The model; <see cref="TinyModelOptions.Default"/> when null.</param>
    /// <returns>The full path of a complete GGUF file in <see cref="DirectoryPath"/>.</returns>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it).</exception>
    public static string GetOrCreate(TinyModelOptions? options = null) => GetOrCreate(options, DirectoryPath);

    /// <summary>Returns the path of the cached model for <paramref name="options"/> in <paramref name="directory"/>,
    /// writing it first if needed. Safe when several threads or processes ask for the same model at once.</summary>
    /// <param name="options">The model; <see cref="TinyModelOptions.Default"/> when null.</param>
    /// <param name="directory">The cache folder (created when missing).</param>
    /// <returns>The full path of a complete GGUF file.</returns>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it).</exception>
    public static string GetOrCreate(TinyModelOptions? options, string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= TinyModelOptions.Default;
        options.Validate();
        string path = GetPath(options, directory);
        WriteOnce(path, temporary => TinyModelWriter.Write(temporary, options));
        return path;
    }

    /// <summary>Returns the path of the cached vision projector for <paramref name="options"/>, writing it first if needed.</summary>
    /// <param name="options">The projector; <see cref="TinyProjectorOptions.Default"/> when null.</param>
    /// <returns>The full path of a complete <c>mmproj</c> GGUF file in <see cref="DirectoryPath"/>.</returns>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it).</exception>
    public static string GetOrCreateProjector(TinyProjectorOptions? options = null) => GetOrCreateProjector(options, DirectoryPath);

    /// <summary>Returns the path of the cached vision projector for <paramref name="options"/> in <paramref name="directory"/>,
    /// writing it first if needed. Safe when several threads or processes ask for the same projector at once.</summary>
    /// <param name="options">The projector; <see cref="TinyProjectorOptions.Default"/> when null.</param>
    /// <param name="directory">The cache folder (created when missing).</param>
    /// <returns>The full path of a complete <c>mmproj</c> GGUF file.</returns>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it).</exception>
    public static string GetOrCreateProjector(TinyProjectorOptions? options, string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= TinyProjectorOptions.Default;
        options.Validate();
        string path = GetProjectorPath(options, directory);
        WriteOnce(path, temporary => TinyProjectorWriter.Write(temporary, options));
        return path;
    }

    /// <summary>The path the cached projector for <paramref name="options"/> has (whether or not it exists yet).</summary>
    /// <param name="options">The projector; <see cref="TinyProjectorOptions.Default"/> when null.</param>
    /// <param name="directory">The cache folder; <see cref="DirectoryPath"/> when null.</param>
    /// <returns>A full path inside the cache folder.</returns>
    public static string GetProjectorPath(TinyProjectorOptions? options = null, string? directory = null)
    {
        options ??= TinyProjectorOptions.Default;
        return Path.Combine(Path.GetFullPath(directory ?? DirectoryPath), "llama4-tiny-mmproj-" + GetProjectorOptionsHash(options) + ".gguf");
    }

    /// <summary>A stable hex hash of every projector option (and the generator's format version): equal options, equal hash.</summary>
    /// <param name="options">The options to hash.</param>
    /// <returns>32 lowercase hex digits.</returns>
    public static string GetProjectorOptionsHash(TinyProjectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = new StringBuilder();
        text.AppendLine(ProjectorFormatVersion);
        text.AppendLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{options.Seed}|{options.TextEmbeddingLength}|{options.ImageSize}|{options.PatchSize}|{options.EmbeddingLength}|{options.FeedForwardLength}|{options.BlockCount}|{options.HeadCount}|{options.ScaleFactor}|{options.ProjectionLength}|{BitConverter.SingleToUInt32Bits(options.WeightStandardDeviation):x8}"));
        foreach (KeyValuePair<string, object?> pair in options.MetadataOverrides.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(pair.Value is null
                ? "remove:" + pair.Key
                : GgufMetadataEntry.FromObject(pair.Key, pair.Value).ToCanonicalString());
        }

        foreach (KeyValuePair<string, long[]?> pair in options.TensorShapeOverrides.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(pair.Value is null
                ? "remove-tensor:" + pair.Key
                : "tensor:" + pair.Key + "=" + string.Join(",", pair.Value.Select(d => d.ToString(CultureInfo.InvariantCulture))));
        }

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static void WriteOnce(string path, Action<string> write)
    {
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = string.Create(
            CultureInfo.InvariantCulture,
            $"{path}.{Environment.ProcessId}.{RandomNumberGenerator.GetHexString(8, lowercase: true)}.tmp");
        try
        {
            write(temporary);
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process or thread finished the same file first; its bytes are identical.
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The path the cached model for <paramref name="options"/> has (whether or not it exists yet).</summary>
    /// <param name="options">The model; <see cref="TinyModelOptions.Default"/> when null.</param>
    /// <param name="directory">The cache folder; <see cref="DirectoryPath"/> when null.</param>
    /// <returns>A full path inside the cache folder.</returns>
    public static string GetPath(TinyModelOptions? options = null, string? directory = null)
    {
        options ??= TinyModelOptions.Default;
        return Path.Combine(Path.GetFullPath(directory ?? DirectoryPath), "llama4-tiny-" + GetOptionsHash(options) + ".gguf");
    }

    /// <summary>A stable hex hash of every option (and the generator's format version): equal options, equal hash.</summary>
    /// <param name="options">The options to hash.</param>
    /// <returns>32 lowercase hex digits.</returns>
    public static string GetOptionsHash(TinyModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = new StringBuilder();
        text.AppendLine(FormatVersion);
        text.AppendLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{options.Seed}|{options.LayerCount}|{options.EmbeddingLength}|{options.HeadCount}|{options.KvHeadCount}|{options.FeedForwardLength}|{options.ExpertFeedForwardLength}|{options.ExpertCount}|{options.ExpertUsedCount}|{options.MoeLayerStep}|{options.MergeCount}|{options.ContextLength}|{BitConverter.SingleToUInt32Bits(options.WeightStandardDeviation):x8}|{(int)options.TensorType}"));
        text.AppendLine(GgufMetadataEntry.String("general.name", options.ModelName).ToCanonicalString());
        if (options.OrdinaryTokenCount is not null || options.VocabularySize is not null || options.TiedOutput)
        {
            // Only written when set, so that the models generated before these options existed keep their file names.
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"vocabulary:{options.OrdinaryTokenCount}|{options.VocabularySize}|tied:{options.TiedOutput}"));
        }

        foreach (KeyValuePair<string, object?> pair in options.MetadataOverrides.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(pair.Value is null
                ? "remove:" + pair.Key
                : GgufMetadataEntry.FromObject(pair.Key, pair.Value).ToCanonicalString());
        }

        foreach (KeyValuePair<string, int> pair in options.TensorTypeOverrides.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"tensor-type:{pair.Key}={pair.Value}"));
        }

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
