using LLama;
using LLama.Common;

namespace Llama4.TinyModel.Tests;

/// <summary><see cref="TinyModelOptions.RealVocabulary"/>, written once into the cache and loaded once per test class.</summary>
public sealed class RealVocabularyModelFixture : IDisposable
{
    public RealVocabularyModelFixture()
    {
        ModelPath = TinyModelCache.GetOrCreate(TinyModelOptions.RealVocabulary);
        Vocabulary = TinyModelVocabulary.Create(TinyModelOptions.RealVocabulary);
        Weights = LLamaWeights.LoadFromFile(new ModelParams(ModelPath) { ContextSize = 512, GpuLayerCount = 0 });
    }

    public string ModelPath { get; }

    public TinyModelVocabulary Vocabulary { get; }

    public LLamaWeights Weights { get; }

    public void Dispose() => Weights.Dispose();
}
