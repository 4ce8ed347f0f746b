using Llama4.Testing;

namespace Llama4.Core.Tests.Inference.Sampling;

/// <summary>The real-vocabulary tiny model (202,048 tokens) with eight prompts decoded in one batch.</summary>
public sealed class RealVocabularyContextFixture() : DecodedModelFixture(TinyModelFiles.RealVocabulary, 8);
