using System.IO.Compression;
using System.Xml.Linq;

namespace Llama4.Packaging.Tests;

[Collection(PackageFeedGroup.Name)]
public sealed class PackageContentsTests(PackageFeedFixture feed)
{
    public static TheoryData<string> Packages => [.. RepositoryLayout.PackageProjects];

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_HasMetadataReadmeDocsAndSymbols(string id)
    {
        var path = Path.Combine(feed.FeedDirectory, $"{id}.{feed.Version}.nupkg");
        using var archive = ZipFile.OpenRead(path);
        var entries = archive.Entries.Select(e => e.FullName).ToList();
        var nuspec = XDocument.Load(archive.GetEntry($"{id}.nuspec")!.Open());
        string? Meta(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal(id, Meta("id"));
        Assert.False(string.IsNullOrWhiteSpace(Meta("description")));
        Assert.False(string.IsNullOrWhiteSpace(Meta("authors")));
        Assert.Equal("MIT", Meta("license"));
        Assert.Contains("llama4", Meta("tags") ?? "", StringComparison.Ordinal);
        Assert.Equal("README.md", Meta("readme"));
        Assert.Contains("README.md", entries);
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);
        Assert.True(File.Exists(Path.Combine(feed.FeedDirectory, $"{id}.{feed.Version}.snupkg")), $"{id} has no symbols package.");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_DependsOnNoPreviewPackageAndNoNativeBackend(string id)
    {
        using var archive = ZipFile.OpenRead(Path.Combine(feed.FeedDirectory, $"{id}.{feed.Version}.nupkg"));
        var nuspec = XDocument.Load(archive.GetEntry($"{id}.nuspec")!.Open());
        var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (Id: (string)e.Attribute("id")!, Version: (string)e.Attribute("version")!)).ToList();

        Assert.NotEmpty(dependencies);
        Assert.All(dependencies, d => Assert.DoesNotContain("-", d.Version, StringComparison.Ordinal));
        Assert.DoesNotContain(dependencies, d => d.Id.StartsWith("LLamaSharp.Backend", StringComparison.Ordinal));
        Assert.DoesNotContain(dependencies, d => d.Id.StartsWith("xunit", StringComparison.Ordinal) || d.Id.Contains("PublicApiAnalyzers", StringComparison.Ordinal));
    }

    [Fact]
    public void Package_MicrosoftExtensionsAiMinimum_IsTheVersionDocsPackagesStates()
    {
        using var archive = ZipFile.OpenRead(Path.Combine(feed.FeedDirectory, $"Llama4.Extensions.AI.{feed.Version}.nupkg"));
        var nuspec = XDocument.Load(archive.GetEntry("Llama4.Extensions.AI.nuspec")!.Open());
        var minimum = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "Microsoft.Extensions.AI")
            .Select(e => (string)e.Attribute("version")!).Single();
        var documented = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "docs", "packages.md")), @"\s+", " ");

        Assert.Equal(RepositoryLayout.CentralVersion("Microsoft.Extensions.AI"), minimum);
        Assert.Contains($"Microsoft.Extensions.AI {minimum} ", documented, StringComparison.Ordinal);
    }

    [Fact]
    public void Feed_HoldsExactlyTheShippableProjects()
    {
        var ids = Directory.GetFiles(feed.FeedDirectory, "*.nupkg")
            .Select(f => Path.GetFileNameWithoutExtension(f)[..^(feed.Version.Length + 1)])
            .Order(StringComparer.Ordinal);

        Assert.Equal(RepositoryLayout.PackageProjects.Order(StringComparer.Ordinal), ids);
    }
}
