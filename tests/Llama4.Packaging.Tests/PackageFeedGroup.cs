namespace Llama4.Packaging.Tests;

/// <summary>The tests that share one packed feed.</summary>
[CollectionDefinition(Name)]
public sealed class PackageFeedGroup : ICollectionFixture<PackageFeedFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packages";
}
