using LLama;
using LLama.Common;

namespace Llama4.TinyModel.Tests;

/// <summary>The default tiny model, written once into the cache and loaded once per test class.</summary>
public sealed class LoadedTinyModelFixture : IDisposable
{
    public LoadedTinyModelFixture()
    {
        ModelPath = TinyModelCache.GetOrCreate(TinyModelOptions.Default);
        Vocabulary = TinyModelVocabulary.Create(TinyModelOptions.Default.MergeCount);
        Weights = LLamaWeights.LoadFromFile(new ModelParams(ModelPath) { ContextSize = 131072, GpuLayerCount = 0 });
    }

    public string ModelPath { get; }

    public TinyModelVocabulary Vocabulary { get; }

    public LLamaWeights Weights { get; }

    public void Dispose() => Weights.Dispose();
}
