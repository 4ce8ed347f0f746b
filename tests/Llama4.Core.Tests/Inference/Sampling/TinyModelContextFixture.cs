using Llama4.Testing;

namespace Llama4.Core.Tests.Inference.Sampling;

/// <summary>The default tiny model (1,700 tokens) with one decoded prompt: cheap reference draws from LLamaSharp's pipeline.</summary>
public sealed class TinyModelContextFixture() : DecodedModelFixture(TinyModelFiles.Default, 1);
