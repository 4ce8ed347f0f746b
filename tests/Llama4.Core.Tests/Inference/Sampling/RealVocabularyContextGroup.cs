namespace Llama4.Core.Tests.Inference.Sampling;

/// <summary>The test classes that share one loaded real-vocabulary model with eight decoded prompts.</summary>
[CollectionDefinition(Name)]
public sealed class RealVocabularyContextGroup : ICollectionFixture<RealVocabularyContextFixture>
{
    public const string Name = "real-vocabulary context";
}
