namespace Llama4.Packaging.Tests;

/// <summary>
/// Packs every shippable project once (from its existing build output, like a release pipeline after its build step)
/// into a fresh folder that serves as the only source of the Llama4.* packages.
/// </summary>
public sealed class PackageFeedFixture : IAsyncLifetime
{
    /// <summary>Creates the fixture; nothing is packed before <see cref="InitializeAsync"/>.</summary>
    public PackageFeedFixture() => ConsumerApp = new(() => ConsumerAppTests.CreateAndBuildAsync(this));

    /// <summary>Gets the temporary folder holding the feed, the consumer app and its package folder.</summary>
    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "llama4-packaging-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Gets the folder the packages were packed into.</summary>
    public string FeedDirectory => Path.Combine(WorkDirectory, "feed");

    /// <summary>Gets the consumer app's folder, built from the feed once, on first use.</summary>
    public Lazy<Task<string>> ConsumerApp { get; }

    /// <summary>Gets the version the packages were packed with.</summary>
    public string Version { get; private set; } = "";

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(FeedDirectory);
        // The whole solution: only projects that are packable produce packages, which the tests check.
        (await DotNetCli.RunAsync(
            RepositoryLayout.Root,
            ["pack", Path.Combine(RepositoryLayout.Root, "Llama4.SemanticKernel.sln"), "-c", RepositoryLayout.Configuration, "--no-build", "--no-restore", "-o", FeedDirectory],
            TimeSpan.FromMinutes(5))).EnsureSuccess("dotnet pack of the solution");

        var core = Directory.GetFiles(FeedDirectory, "Llama4.Core.*.nupkg").Single(f => !f.EndsWith(".snupkg", StringComparison.Ordinal));
        Version = Path.GetFileNameWithoutExtension(core)["Llama4.Core.".Length..];
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }

        return ValueTask.CompletedTask;
    }
}
