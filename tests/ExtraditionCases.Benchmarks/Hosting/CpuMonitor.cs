using System.Diagnostics;
using System.Globalization;

namespace ExtraditionCases.Benchmarks.Hosting;

/// <summary>
/// The machine is shared: this measures how much CPU processes other than the benchmark's own three
/// (generator, service, baseline) used during a run, from /proc (Linux; elsewhere it reports NaN), and
/// waits for a quiet moment before each measured run.
/// </summary>
internal sealed class CpuMonitor(params int[] pids)
{
    private const double TicksPerSecond = 100; // USER_HZ

    public readonly record struct Sample(long Busy, long Ours, long Timestamp);

    public Sample Take() => new(MachineBusyTicks(), pids.Sum(ProcessTicks), Stopwatch.GetTimestamp());

    /// <summary>Cores used by everything else between two samples.</summary>
    public static double ForeignCores(Sample from, Sample to)
    {
        if (from.Busy < 0 || to.Busy < 0) return double.NaN;
        var seconds = (to.Timestamp - from.Timestamp) / (double)Stopwatch.Frequency;
        return Math.Max(0, (to.Busy - from.Busy - (to.Ours - from.Ours)) / TicksPerSecond / seconds);
    }

    /// <summary>Cores used by every process between two samples.</summary>
    public static double BusyCores(Sample from, Sample to)
    {
        if (from.Busy < 0 || to.Busy < 0) return double.NaN;
        return (to.Busy - from.Busy) / TicksPerSecond / ((to.Timestamp - from.Timestamp) / (double)Stopwatch.Frequency);
    }

    /// <summary>Waits (at most <paramref name="patience"/>) until other processes use less than <paramref name="cores"/> for half a second.</summary>
    public async Task<double> WaitForQuietAsync(double cores, TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var before = Take();
            await Task.Delay(500);
            var foreign = ForeignCores(before, Take());
            if (double.IsNaN(foreign) || foreign < cores || waited.Elapsed > patience) return foreign;
        }
    }

    private static long MachineBusyTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
            long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            return Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    }

    /// <summary>CPU ticks (user + system, 1/100 s) one process has used so far; 0 when unknown.</summary>
    public static long ProcessTicks(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // After the command name in parentheses: state is field 3, utime 14 and stime 15 (1-based).
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
