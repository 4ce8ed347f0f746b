using Llama4.TinyModel.Gguf;
using Llama4.TinyModel.Internal;

namespace Llama4.TinyModel;

/// <summary>
/// Writes a deterministic <c>llama4</c> GGUF (version 3) with random weights and the real Llama 4 tokenizer layout:
/// equal <see cref="TinyModelOptions"/> always give byte-identical output, on every machine and in every process.
/// </summary>
public static class TinyModelWriter
{
    /// <summary>Writes the model to <paramref name="path"/>, replacing any existing file.</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="options">The model to generate; <see cref="TinyModelOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it).</exception>
    public static void Write(string path, TinyModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= TinyModelOptions.Default;
        options.Validate();
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        WriteValidated(stream, options);
    }

    /// <summary>Writes the model to <paramref name="output"/> at its current position.</summary>
    /// <param name="output">A writable stream; it is left open.</param>
    /// <param name="options">The model to generate; <see cref="TinyModelOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it).</exception>
    public static void Write(Stream output, TinyModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        options ??= TinyModelOptions.Default;
        options.Validate();
        WriteValidated(output, options);
    }

    /// <summary>Returns the model's bytes (for small models: the default one is about 2.7 MB).</summary>
    /// <param name="options">The model to generate; <see cref="TinyModelOptions.Default"/> when null.</param>
    /// <returns>The complete GGUF file.</returns>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it).</exception>
    public static byte[] WriteToArray(TinyModelOptions? options = null)
    {
        using var stream = new MemoryStream();
        Write(stream, options);
        return stream.ToArray();
    }

    private static void WriteValidated(Stream output, TinyModelOptions options)
    {
        TinyModelVocabulary vocabulary = TinyModelVocabulary.Create(options);
        List<GgufMetadataEntry> metadata = TinyModelLayout.BuildMetadata(options, vocabulary);
        List<TensorSpec> tensors = TinyModelLayout.BuildTensors(options, vocabulary);
        var data = new TensorDataWriter(options.Seed, options.WeightStandardDeviation);
        GgufWriter.Write(output, metadata, tensors, TinyModelLayout.ResolveAlignment(metadata), data.Write);
        output.Flush();
    }
}
