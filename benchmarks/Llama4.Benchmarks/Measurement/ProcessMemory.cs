using System.Globalization;

namespace Llama4.Benchmarks.Measurement;

/// <summary>
/// The process's memory at one moment, read after a full garbage collection: resident memory and its peak from
/// <c>/proc/self/status</c> (<c>VmRSS</c>, <c>VmHWM</c>; elsewhere the working set and its peak), the managed heap's live
/// bytes and the memory the GC has committed. Resident memory counts everything the process touched: managed heap,
/// native allocations (llama.cpp's KV cache and buffers), mapped model pages that were read, and the runtime itself.
/// </summary>
internal sealed record ProcessMemory(long ResidentBytes, long PeakResidentBytes, long ManagedHeapBytes, long GcCommittedBytes)
{
    public static ProcessMemory Read()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var managed = GC.GetTotalMemory(forceFullCollection: false);
        var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
        const string status = "/proc/self/status";
        if (OperatingSystem.IsLinux() && File.Exists(status))
        {
            long resident = 0, peak = 0;
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    resident = Kilobytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line);
                }
            }

            return new ProcessMemory(resident, peak, managed, committed);
        }

        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new ProcessMemory(process.WorkingSet64, process.PeakWorkingSet64, managed, committed);
    }

    /// <summary>"VmRSS:     123456 kB" in bytes.</summary>
    private static long Kilobytes(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(fields[1], CultureInfo.InvariantCulture) * 1024;
    }
}
