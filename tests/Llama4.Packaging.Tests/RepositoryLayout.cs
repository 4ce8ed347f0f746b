using System.Reflection;
using System.Xml.Linq;

namespace Llama4.Packaging.Tests;

/// <summary>Where the repository and its shippable projects are, and the versions its build uses.</summary>
internal static class RepositoryLayout
{
    /// <summary>The projects under <c>src/</c> that ship as NuGet packages.</summary>
    public static readonly string[] PackageProjects =
    [
        "Llama4.Core",
        "Llama4.Extensions.AI",
        "Llama4.SemanticKernel",
        "Llama4.Moderation",
        "Llama4.Hosting",
    ];

    /// <summary>Gets the repository root: the folder holding the solution, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Gets the build configuration these tests were built in; the packages are packed from the same one.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Llama4.Configuration").Value!;

    /// <summary>Gets the version of a package in the central package versions (Directory.Packages.props).</summary>
    public static string CentralVersion(string packageId)
    {
        var document = XDocument.Load(Path.Combine(Root, "Directory.Packages.props"));
        return document.Descendants("PackageVersion").Single(e => (string?)e.Attribute("Include") == packageId).Attribute("Version")!.Value;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Llama4.SemanticKernel.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Llama4.SemanticKernel.sln above {AppContext.BaseDirectory}.");
    }
}
