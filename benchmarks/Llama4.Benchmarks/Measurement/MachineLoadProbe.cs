using System.Diagnostics;
using System.Globalization;

namespace Llama4.Benchmarks.Measurement;

/// <summary>
/// How busy the machine was with other work while something was measured: CPU time all processes used (from
/// <c>/proc/stat</c>) minus this process's own, per second of wall time, in cores. Linux only; null elsewhere.
/// </summary>
internal sealed class MachineLoadProbe
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan _ownCpuAtStart = ProcessCpuClock.Now();
    private readonly TimeSpan? _busyAtStart = ReadBusyTime();

    /// <summary>The average number of cores other processes kept busy since this probe was created.</summary>
    public double? OtherProcessesCores()
    {
        if (_busyAtStart is not { } busyAtStart || ReadBusyTime() is not { } busyNow)
        {
            return null;
        }

        var elapsed = Stopwatch.GetElapsedTime(_started);
        var other = busyNow - busyAtStart - (ProcessCpuClock.Now() - _ownCpuAtStart);
        return elapsed > TimeSpan.Zero ? Math.Max(0, other / elapsed) : null;
    }

    private static TimeSpan? ReadBusyTime()
    {
        const string stat = "/proc/stat";
        if (!OperatingSystem.IsLinux() || !File.Exists(stat))
        {
            return null;
        }

        // "cpu  user nice system idle iowait irq softirq steal ..." in USER_HZ ticks (100 per second on Linux).
        var fields = File.ReadLines(stat).First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = 0;
        for (var i = 1; i < fields.Length && i <= 8; i++)
        {
            if (i is 4 or 5)
            {
                continue; // idle, iowait
            }

            busy += long.Parse(fields[i], CultureInfo.InvariantCulture);
        }

        return TimeSpan.FromSeconds(busy / 100.0);
    }
}
