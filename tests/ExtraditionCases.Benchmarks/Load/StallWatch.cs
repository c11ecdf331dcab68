using System.Globalization;

namespace ExtraditionCases.Benchmarks.Load;

/// <summary>
/// Finds when a tail happens, not only how long it is: one system at one constant rate for a while, and every
/// episode of slow requests (latency past a threshold, from the intended send time) printed with its wall-clock
/// time, so that it can be laid beside what the process was doing then (its log, dotnet-counters, a trace).
/// A p99 taken over 4 s cannot tell a few long stalls from a slower distribution; this can.
/// </summary>
internal static class StallWatch
{
    /// <summary>Slow requests whose send times are closer than this belong to one episode.</summary>
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(50);

    internal sealed record Episode(DateTime StartUtc, double OffsetSeconds, double LengthMs, int Requests, double PeakMs, double PeakLagMs);

    /// <summary>One run: its summary, its episodes, and every successful request's latency (µs) for pooling across runs.</summary>
    internal sealed record Watched(OpenLoopResult Run, IReadOnlyList<Episode> Episodes, long[] Latencies);

    public static async Task<Watched> RunAsync(
        Operation operation, double rate, TimeSpan duration, TimeSpan threshold)
    {
        var latencies = new long[Math.Max(1, (long)(rate * duration.TotalSeconds))];
        var lags = new long[latencies.Length];
        Array.Fill(latencies, long.MinValue);
        // LoadRunner starts its schedule 10 ms after it is called.
        var startUtc = DateTime.UtcNow.AddMilliseconds(10);
        var run = await LoadRunner.OpenLoopAsync(operation, rate, duration, latencies, lags);
        return new Watched(run, Episodes(latencies, lags, rate, startUtc, threshold), latencies.Where(l => l >= 0).ToArray());
    }

    /// <summary>Runs of slow (or failed) requests in schedule order, joined across gaps shorter than <see cref="Gap"/>.</summary>
    /// <param name="lags">How late each was sent: an episode whose peak lag is near its peak latency is the generator's.</param>
    internal static IReadOnlyList<Episode> Episodes(long[] latencies, long[] lags, double rate, DateTime startUtc, TimeSpan threshold)
    {
        var episodes = new List<Episode>();
        var thresholdMicros = (long)(threshold.TotalMilliseconds * 1000);
        var gapRequests = Math.Max(1, (long)(Gap.TotalSeconds * rate));
        long first = -1, last = -1, peak = 0, peakLag = 0;
        var count = 0;

        void Close()
        {
            if (first < 0) return;
            var offset = first / rate;
            episodes.Add(new Episode(startUtc.AddSeconds(offset), offset, (last - first + 1) / rate * 1000, count, peak / 1000.0, peakLag / 1000.0));
            first = -1;
            count = 0;
            peak = 0;
            peakLag = 0;
        }

        for (long i = 0; i < latencies.Length; i++)
        {
            var micros = latencies[i];
            if (micros == long.MinValue) continue; // never sent (the run ended early)
            var slow = micros < 0 || micros > thresholdMicros;
            if (!slow) continue;
            if (first >= 0 && i - last > gapRequests) Close();
            if (first < 0) first = i;
            last = i;
            count++;
            peak = Math.Max(peak, micros < 0 ? 0 : micros);
            peakLag = Math.Max(peakLag, lags[i]);
        }

        Close();
        return episodes;
    }

    /// <summary>Percentile (nearest rank) of latencies pooled over several runs, in ms.</summary>
    internal static double PooledMs(IReadOnlyList<long[]> runs, double percentile)
    {
        var all = runs.SelectMany(r => r).Order().ToArray();
        if (all.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percentile / 100 * all.Length);
        return all[Math.Clamp(rank - 1, 0, all.Length - 1)] / 1000.0;
    }

    public static void Print(string label, double rate, OpenLoopResult run, IReadOnlyList<Episode> episodes, TimeSpan threshold)
    {
        var slow = episodes.Sum(e => e.Requests);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label,-8} {rate,8:0.0}/s  p50 {run.P50,7:0.00}  p99 {run.P99,7:0.00}  p99.9 {run.P999,7:0.00}  max {run.Max,7:0.00} ms  " +
            $"{episodes.Count} episode(s) past {threshold.TotalMilliseconds:0} ms, {slow} request(s), {run.Errors} error(s)  (lag p99 {run.LagP99:0.00} ms)"));
        foreach (var episode in episodes.Take(40))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {episode.StartUtc:HH:mm:ss.fff}  +{episode.OffsetSeconds,6:0.000} s  {episode.LengthMs,7:0.0} ms long  {episode.Requests,5} slow  peak {episode.PeakMs,7:0.0} ms (sent up to {episode.PeakLagMs:0.0} ms late)"));
        }

        if (episodes.Count > 40) Console.WriteLine($"    ... and {episodes.Count - 40} more");
    }
}
