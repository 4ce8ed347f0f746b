using System.Security.Cryptography;
using Llama4.Core;

namespace Llama4.TinyModel.Tests;

public sealed class TinyModelCacheTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llama4-tiny-cache-tests-" + RandomNumberGenerator.GetHexString(12, lowercase: true));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void GetOrCreate_SameOptions_ReturnsTheSameCompleteFile()
    {
        string first = TinyModelCache.GetOrCreate(TinyModelOptions.Default, _directory);
        DateTime written = File.GetLastWriteTimeUtc(first);
        string second = TinyModelCache.GetOrCreate(TinyModelOptions.Default with { }, _directory);

        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second));
        Assert.Equal(TinyModelWriter.WriteToArray(TinyModelOptions.Default), File.ReadAllBytes(first));
        Assert.Equal("llama4", Llama4ModelValidator.Validate(first).Architecture);
    }

    [Fact]
    public async Task GetOrCreate_ConcurrentCallers_AllGetOneCompleteFileAndNoTemporaries()
    {
        var options = TinyModelOptions.Default with { Seed = 42 };

        string[] paths = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => TinyModelCache.GetOrCreate(options, _directory))));

        Assert.Single(paths.Distinct());
        Assert.Equal(TinyModelWriter.WriteToArray(options), File.ReadAllBytes(paths[0]));
        Assert.Equal([paths[0]], Directory.GetFiles(_directory));
    }

    [Fact]
    public void GetOptionsHash_EqualOptions_AreEqualAndAnyChangeDiffers()
    {
        var overrides = new Dictionary<string, object?> { ["llama4.expert_count"] = 0u };
        string baseline = TinyModelCache.GetOptionsHash(TinyModelOptions.Default);

        Assert.Equal(baseline, TinyModelCache.GetOptionsHash(new TinyModelOptions()));
        Assert.Equal(32, baseline.Length);
        string[] others =
        [
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { Seed = 2 }),
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { WeightStandardDeviation = 0.2f }),
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { ModelName = "other" }),
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { TensorType = TinyModelTensorType.F32 }),
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { TiedOutput = true }),
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { OrdinaryTokenCount = 1000 }),
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { VocabularySize = 2000 }),
            TinyModelCache.GetOptionsHash(TinyModelOptions.RealVocabulary),
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { MetadataOverrides = overrides }),
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { MetadataOverrides = new Dictionary<string, object?> { ["llama4.expert_count"] = 0 } }),
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { MetadataOverrides = new Dictionary<string, object?> { ["llama4.expert_count"] = null } }),
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { TensorTypeOverrides = new Dictionary<string, int> { ["blk.0.attn_q.weight"] = 26 } }),
        ];
        Assert.Equal(others.Length + 1, others.Append(baseline).Distinct().Count());
        Assert.Equal(
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { MetadataOverrides = overrides }),
            TinyModelCache.GetOptionsHash(TinyModelOptions.Default with { MetadataOverrides = new Dictionary<string, object?>(overrides) }));
    }

    [Fact]
    public void GetPath_DefaultDirectory_IsUnderTheConfiguredCacheFolder()
    {
        string path = TinyModelCache.GetPath(TinyModelOptions.Default);

        Assert.StartsWith(TinyModelCache.DirectoryPath, path, StringComparison.Ordinal);
        Assert.EndsWith(".gguf", path, StringComparison.Ordinal);
    }
}
