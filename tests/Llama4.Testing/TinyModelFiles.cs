using Llama4.TinyModel;

namespace Llama4.Testing;

/// <summary>Paths of generated tiny models, written once per machine into the tiny-model cache.</summary>
public static class TinyModelFiles
{
    /// <summary>Gets the path of the default tiny llama4 model (random weights, real Llama 4 tokenizer layout).</summary>
    public static string Default => TinyModelCache.GetOrCreate(TinyModelOptions.Default);

    /// <summary>
    /// Gets the path of the tiny model with Llama 4's real vocabulary (<see cref="TinyModelOptions.RealVocabulary"/>:
    /// 202,048 tokens, the special tokens at their real ids 200000+; about 59 MB, generated in a few seconds once per machine).
    /// </summary>
    public static string RealVocabulary => TinyModelCache.GetOrCreate(TinyModelOptions.RealVocabulary);

    /// <summary>Writes a model with the given options into a fresh temporary file and returns its path.</summary>
    public static string WriteTemporary(TinyModelOptions options, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"model-{Guid.NewGuid():N}.gguf");
        TinyModelWriter.Write(path, options);
        return path;
    }
}
