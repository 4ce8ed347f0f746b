using System.Security.Cryptography;
using Llama4.TinyModel;

namespace Llama4.Core.Tests.Gguf;

/// <summary>A temporary folder of generated model files for one test class; deleted afterwards.</summary>
public sealed class GgufTestFiles : IDisposable
{
    public GgufTestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "llama4-gguf-tests-" + RandomNumberGenerator.GetHexString(12, lowercase: true));
        System.IO.Directory.CreateDirectory(Directory);
        ValidModelPath = TinyModelCache.GetOrCreate(TinyModelOptions.Default);
        ValidModelBytes = File.ReadAllBytes(ValidModelPath);
    }

    public string Directory { get; }

    public string ValidModelPath { get; }

    public byte[] ValidModelBytes { get; }

    /// <summary>Writes a model whose metadata is edited by <paramref name="overrides"/>.</summary>
    public string WriteModel(IReadOnlyDictionary<string, object?> overrides, string? fileName = null) =>
        WriteModel(TinyModelOptions.Default with { MetadataOverrides = overrides }, fileName);

    public string WriteModel(TinyModelOptions options, string? fileName = null)
    {
        string path = NewPath(fileName);
        TinyModelWriter.Write(path, options);
        return path;
    }

    public string WriteBytes(ReadOnlySpan<byte> bytes, string? fileName = null)
    {
        string path = NewPath(fileName);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Replaces every occurrence of <paramref name="find"/> in the file with <paramref name="replace"/> (same length).</summary>
    public static void PatchBytes(string path, byte[] find, byte[] replace)
    {
        if (find.Length != replace.Length)
        {
            throw new ArgumentException("A patch must keep the length.", nameof(replace));
        }

        byte[] bytes = File.ReadAllBytes(path);
        int patched = 0;
        int start = 0;
        while (bytes.AsSpan(start).IndexOf(find) is var found and >= 0)
        {
            replace.CopyTo(bytes, start + found);
            start += found + find.Length;
            patched++;
        }

        if (patched == 0)
        {
            throw new ArgumentException("The bytes to patch were not found.", nameof(find));
        }

        File.WriteAllBytes(path, bytes);
    }

    public string NewPath(string? fileName = null) =>
        Path.Combine(Directory, fileName ?? "model-" + RandomNumberGenerator.GetHexString(12, lowercase: true) + ".gguf");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
