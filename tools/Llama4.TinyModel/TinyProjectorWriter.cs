using Llama4.TinyModel.Gguf;
using Llama4.TinyModel.Internal;

namespace Llama4.TinyModel;

/// <summary>
/// Writes a deterministic Llama 4 vision projector (<c>mmproj</c> GGUF, version 3, F32 random weights) that llama.cpp's
/// mtmd loads beside a tiny text model: equal <see cref="TinyProjectorOptions"/> always give byte-identical output.
/// </summary>
public static class TinyProjectorWriter
{
    /// <summary>Writes the projector to <paramref name="path"/>, replacing any existing file.</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="options">The projector to generate; <see cref="TinyProjectorOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it).</exception>
    public static void Write(string path, TinyProjectorOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= TinyProjectorOptions.Default;
        options.Validate();
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        WriteValidated(stream, options);
    }

    /// <summary>Returns the projector's bytes (the default one is about 300 KB).</summary>
    /// <param name="options">The projector to generate; <see cref="TinyProjectorOptions.Default"/> when null.</param>
    /// <returns>The complete GGUF file.</returns>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it).</exception>
    public static byte[] WriteToArray(TinyProjectorOptions? options = null)
    {
        options ??= TinyProjectorOptions.Default;
        options.Validate();
        using var stream = new MemoryStream();
        WriteValidated(stream, options);
        return stream.ToArray();
    }

    private static void WriteValidated(Stream output, TinyProjectorOptions options)
    {
        List<GgufMetadataEntry> metadata = TinyProjectorLayout.BuildMetadata(options);
        List<TensorSpec> tensors = TinyProjectorLayout.BuildTensors(options);
        var data = new TensorDataWriter(options.Seed, options.WeightStandardDeviation);
        GgufWriter.Write(output, metadata, tensors, TinyModelLayout.ResolveAlignment(metadata), data.Write);
        output.Flush();
    }
}
