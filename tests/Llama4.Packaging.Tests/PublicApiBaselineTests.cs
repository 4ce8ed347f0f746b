namespace Llama4.Packaging.Tests;

/// <summary>
/// Each package's public surface is pinned by its PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt: a public member
/// that the baseline does not list fails the build. Checked on a copy of the engine package's sources with one public
/// member added.
/// </summary>
public sealed class PublicApiBaselineTests
{
    [Fact]
    public void EveryPackageProject_HasItsBaselineFiles()
    {
        foreach (var project in RepositoryLayout.PackageProjects)
        {
            var folder = Path.Combine(RepositoryLayout.Root, "src", project);

            Assert.True(File.Exists(Path.Combine(folder, "PublicAPI.Shipped.txt")), $"{project} has no PublicAPI.Shipped.txt.");
            Assert.True(File.ReadAllLines(Path.Combine(folder, "PublicAPI.Unshipped.txt")).Length > 1, $"{project}'s baseline lists nothing.");
        }
    }

    [Fact]
    public async Task PublicMemberAdded_WithoutUpdatingTheBaseline_FailsTheBuild()
    {
        var copy = Path.Combine(Path.GetTempPath(), "llama4-api-baseline-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            CopyBuildSetup(copy);
            CopyProject("Llama4.Core", copy);
            File.WriteAllText(Path.Combine(copy, "src", "Llama4.Core", "UnlistedApiProbe.cs"), """
                namespace Llama4.Core;

                /// <summary>A public type that no baseline lists.</summary>
                public static class UnlistedApiProbe
                {
                    /// <summary>Gets a value.</summary>
                    public static int Value => 1;
                }
                """);

            var build = await DotNetCli.RunAsync(copy, ["build", Path.Combine("src", "Llama4.Core", "Llama4.Core.csproj"), "-c", "Release"], TimeSpan.FromMinutes(8));

            Assert.NotEqual(0, build.ExitCode);
            Assert.Contains("RS0016", build.Output, StringComparison.Ordinal);
            Assert.Contains("UnlistedApiProbe", build.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static void CopyBuildSetup(string destination)
    {
        Directory.CreateDirectory(Path.Combine(destination, "src"));
        Directory.CreateDirectory(Path.Combine(destination, "packages-local"));
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "nuget.config", "global.json", ".editorconfig" })
        {
            File.Copy(Path.Combine(RepositoryLayout.Root, file), Path.Combine(destination, file));
        }

        File.Copy(Path.Combine(RepositoryLayout.Root, "src", "Directory.Build.props"), Path.Combine(destination, "src", "Directory.Build.props"));
    }

    private static void CopyProject(string project, string destination)
    {
        var source = Path.Combine(RepositoryLayout.Root, "src", project);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top is "bin" or "obj")
            {
                continue;
            }

            var target = Path.Combine(destination, "src", project, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
