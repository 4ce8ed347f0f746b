using Llama4.TinyModel;

namespace Llama4.Testing;

/// <summary>Paths of generated tiny models, written once per machine into the tiny-model cache.</summary>
public static class TinyModelFiles
{
    /// <summary>Gets the path of the default tiny llama4 model (random weights, real Llama 4 tokenizer layout).</summary>
    public static string Default => TinyModelCache.GetOrCreate(TinyModelOptions.Default);

    /// <summary>Writes a model with the given options into a fresh temporary file and returns its path.</summary>
    public static string WriteTemporary(TinyModelOptions options, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"model-{Guid.NewGuid():N}.gguf");
        TinyModelWriter.Write(path, options);
        return path;
    }
}
