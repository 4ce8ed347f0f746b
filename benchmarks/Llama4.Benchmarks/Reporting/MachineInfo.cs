using System.Runtime;
using System.Runtime.InteropServices;
using LLama.Native;

namespace Llama4.Benchmarks.Reporting;

/// <summary>What the numbers were measured on. Collect after the first engine loaded (the native library must be up), or without llama.cpp's system info.</summary>
internal sealed record MachineInfo(
    int LogicalCores,
    string CpuModel,
    double MemoryGiB,
    string OperatingSystem,
    string Architecture,
    string DotNet,
    string GarbageCollector,
    string LLamaSharpVersion,
    string LlamaCppSystemInfo,
    DateTimeOffset Date)
{
    /// <summary>llama.cpp's commit as LLamaSharp 0.30.0's README lists it for this release (the binaries carry no version).</summary>
    public const string LlamaCppCommit = "815a2a5915f22ce6a760c676389c5dfe8535c08f";

    /// <summary>Collects the machine's description; llama.cpp's system info only when <paramref name="nativeLoaded"/>.</summary>
    public static MachineInfo Collect(bool nativeLoaded = true) => new(
        Environment.ProcessorCount,
        ReadCpuModel(),
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024),
        RuntimeInformation.OSDescription,
        RuntimeInformation.OSArchitecture.ToString(),
        RuntimeInformation.FrameworkDescription,
        (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Interactive ? ", concurrent" : string.Empty),
        PackageVersions.Of("LLamaSharp"),
        nativeLoaded ? Marshal.PtrToStringUTF8(NativeApi.llama_print_system_info())?.Trim() ?? string.Empty : "not loaded (no model in this run)",
        DateTimeOffset.UtcNow);

    private static string ReadCpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }

        var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
