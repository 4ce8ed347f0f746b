using Llama4.TinyModel;

namespace Llama4.Testing;

/// <summary>Paths of generated tiny models, written once per machine into the tiny-model cache.</summary>
public static class TinyModelFiles
{
    /// <summary>Gets the path of the default tiny llama4 model (random weights, real Llama 4 tokenizer layout).</summary>
    public static string Default => TinyModelCache.GetOrCreate(TinyModelOptions.Default);

    /// <summary>
    /// Gets the path of a GGUF that the library refuses before llama.cpp sees it: the default tiny model with
    /// <c>llama4.attention.sliding_window = 0</c>, which would abort llama.cpp at the first decode
    /// (<see cref="Llama4.Core.Llama4ModelProblem.InvalidMetadata"/>).
    /// </summary>
    public static string SlidingWindowZero => TinyModelCache.GetOrCreate(
        TinyModelOptions.Default with { MetadataOverrides = new Dictionary<string, object?> { ["llama4.attention.sliding_window"] = 0u } });

    /// <summary>Writes a text file with a <c>.gguf</c> name (not a GGUF file) into a directory and returns its path.</summary>
    public static string WriteNotGguf(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "not-a-model.gguf");
        File.WriteAllText(path, "This is a text file, not a model.\n");
        return path;
    }

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
