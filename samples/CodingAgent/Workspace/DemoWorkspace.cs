using System.Security.Cryptography;

namespace CodingAgent.Workspace;

/// <summary>The small workspace bundled with the sample (a tiny .NET library and a notes file), copied fresh for each run.</summary>
internal static class DemoWorkspace
{
    /// <summary>The folder name of the bundled workspace, next to the program.</summary>
    public const string BundledFolderName = "demo-workspace";

    /// <summary>Copies the bundled workspace into a new folder under the temporary directory.</summary>
    /// <returns>The new folder.</returns>
    /// <exception cref="DirectoryNotFoundException">The bundled workspace is missing next to the program (rebuild the sample).</exception>
    public static string CreateCopy()
    {
        var source = Path.Combine(AppContext.BaseDirectory, BundledFolderName);
        if (!Directory.Exists(source))
        {
            throw new DirectoryNotFoundException($"The bundled demo workspace '{source}' is missing; rebuild the sample, or pass --workspace DIR.");
        }

        var target = Path.Combine(Path.GetTempPath(), "llama4-coding-agent", RandomNumberGenerator.GetHexString(12, lowercase: true));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
