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

    /// <summary>
    /// A process's scheduling so far: user and system ticks, and each thread's context switches (voluntary: it
    /// blocked; involuntary: it was preempted) by thread id. Empty when /proc cannot be read.
    /// </summary>
    public static Schedule ScheduleOf(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var threads = new Dictionary<string, (long Voluntary, long Involuntary)>(StringComparer.Ordinal);
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    long voluntary = 0, involuntary = 0;
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                            voluntary = long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                        else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                            involuntary = long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }

                    threads[Path.GetFileName(task)] = (voluntary, involuntary);
                }
                catch (IOException)
                {
                    // A thread that ended while it was read.
                }
            }

            return new Schedule(long.Parse(fields[11], CultureInfo.InvariantCulture), long.Parse(fields[12], CultureInfo.InvariantCulture), threads);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return new Schedule(0, 0, new Dictionary<string, (long, long)>());
        }
    }

    internal sealed record Schedule(long UserTicks, long SystemTicks, IReadOnlyDictionary<string, (long Voluntary, long Involuntary)> Threads)
    {
        /// <summary>
        /// Per request between two readings: user and system CPU in µs, and context switches of the threads alive at the
        /// later one (a thread that ended in between is not counted; one that began is counted whole).
        /// </summary>
        public string PerRequestSince(Schedule before, long requests)
        {
            // An empty reading (/proc could not be read) would pass the process's lifetime off as the run's.
            if (requests <= 0 || Threads.Count == 0 || before.Threads.Count == 0) return "";
            long voluntary = 0, involuntary = 0;
            foreach (var (id, (v, i)) in Threads)
            {
                var (v0, i0) = before.Threads.TryGetValue(id, out var earlier) ? earlier : (0, 0);
                voluntary += v - v0;
                involuntary += i - i0;
            }

            return string.Create(CultureInfo.InvariantCulture,
                $"user {(UserTicks - before.UserTicks) * 10_000.0 / requests:0.0} sys {(SystemTicks - before.SystemTicks) * 10_000.0 / requests:0.0} µs, switches {voluntary / (double)requests:0.00} + {involuntary / (double)requests:0.00} preempted, {Threads.Count} threads");
        }
    }
}
