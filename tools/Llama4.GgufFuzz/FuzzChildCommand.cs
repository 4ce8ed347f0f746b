using System.Runtime.InteropServices;

namespace Llama4.GgufFuzz;

/// <summary>How to start a fuzzing child process: the executable and its arguments (ending in <c>--child</c>).</summary>
/// <param name="FileName">The executable: this tool's apphost, or the <c>dotnet</c> host.</param>
/// <param name="Arguments">The arguments.</param>
public sealed record FuzzChildCommand(string FileName, IReadOnlyList<string> Arguments)
{
    private const string AssemblyName = "Llama4.GgufFuzz";

    /// <summary>
    /// The command for the <c>Llama4.GgufFuzz</c> assembly loaded in this process: its apphost beside it (the SDK copies
    /// the apphost, runtimeconfig and deps of a referenced tool into the referencing application's folder, so the test
    /// suite finds it there); without an apphost, <c>dotnet exec</c> on the assembly with its runtimeconfig.
    /// </summary>
    /// <returns>The command.</returns>
    /// <exception cref="FileNotFoundException">Neither an apphost nor a runtimeconfig and a dotnet host were found.</exception>
    public static FuzzChildCommand ForThisAssembly()
    {
        string assembly = typeof(FuzzChild).Assembly.Location;
        string directory = Path.GetDirectoryName(assembly) ?? AppContext.BaseDirectory;
        string apphost = Path.Combine(directory, AssemblyName + (OperatingSystem.IsWindows() ? ".exe" : string.Empty));
        if (File.Exists(apphost))
        {
            return new FuzzChildCommand(apphost, ["--child"]);
        }

        string runtimeConfig = Path.ChangeExtension(assembly, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
        {
            throw new FileNotFoundException("Neither the fuzzer's apphost nor its runtimeconfig.json is beside it.", runtimeConfig);
        }

        return new FuzzChildCommand(DotNetHost(Environment.ProcessPath), ["exec", "--runtimeconfig", runtimeConfig, assembly, "--child"]);
    }

    private static string DotNetHost(string? processPath)
    {
        string executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        if (processPath is not null && string.Equals(Path.GetFileName(processPath), executable, StringComparison.OrdinalIgnoreCase))
        {
            return processPath;
        }

        // The shared framework lives in <root>/shared/Microsoft.NETCore.App/<version>/; the host sits in <root>.
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string candidate = Path.Combine(root, executable);
        return File.Exists(candidate)
            ? candidate
            : throw new FileNotFoundException("The dotnet host was not found; set DOTNET_HOST_PATH.", candidate);
    }
}
