using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Llama4.Benchmarks.Measurement;

/// <summary>
/// CPU time of the whole process (all threads, native ones included). On Linux it reads
/// <c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c> (nanoseconds); <see cref="Process.TotalProcessorTime"/> counts in
/// 10 ms scheduler ticks there, too coarse for runs of a few dozen milliseconds. Elsewhere it falls back to it.
/// </summary>
internal static partial class ProcessCpuClock
{
    private const int ClockProcessCpuTimeId = 2;

    public static TimeSpan Now()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockProcessCpuTimeId, out var time) == 0)
        {
            return TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100));
        }

        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
