using System.Reflection;
using System.Text.Json;

namespace Llama4.Benchmarks.Reporting;

/// <summary>
/// Package versions as the build resolved them, read from the application's <c>.deps.json</c>: LLamaSharp's assembly
/// carries no version of its own (it reports 0.0.0.0).
/// </summary>
internal static class PackageVersions
{
    public static string Of(string packageId)
    {
        var depsFile = Path.Combine(AppContext.BaseDirectory, Assembly.GetEntryAssembly()?.GetName().Name + ".deps.json");
        if (!File.Exists(depsFile))
        {
            return "unknown";
        }

        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        if (deps.RootElement.TryGetProperty("libraries", out var libraries))
        {
            foreach (var library in libraries.EnumerateObject())
            {
                var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0 && library.Name.AsSpan(0, slash).Equals(packageId, StringComparison.OrdinalIgnoreCase))
                {
                    return library.Name[(slash + 1)..];
                }
            }
        }

        return "unknown";
    }
}
