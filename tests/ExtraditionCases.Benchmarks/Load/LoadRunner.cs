using System.Diagnostics;
using HdrHistogram;

namespace ExtraditionCases.Benchmarks.Load;

/// <summary>One request of a scenario against one system: true when it got the expected answer.</summary>
internal delegate Task<bool> Operation(CancellationToken cancellationToken);

internal sealed record ClosedLoopResult(double Throughput, long Completed, long Errors, double Seconds);

internal sealed record OpenLoopResult(
    double TargetRate, double SentRate, long Completed, long Errors, double P50, double P90, double P99, double P999, double Max,
    double LagP99);

/// <summary>
/// Load in two shapes. Closed loop (N workers back to back) finds throughput at saturation. Open loop
/// sends at a constant rate on a fixed schedule whatever the server does, and measures each latency
/// from the request's intended send time, so a stalled server shows up in the percentiles instead of
/// silently slowing the generator down (no coordinated omission). Latencies go to an HdrHistogram in
/// microseconds.
/// </summary>
internal static class LoadRunner
{
    private const long HighestMicros = 120_000_000;
    private const int MaxInFlight = 4096;

    private static readonly double MicrosPerTick = 1_000_000.0 / Stopwatch.Frequency;

    public static async Task<ClosedLoopResult> ClosedLoopAsync(Operation operation, int concurrency, TimeSpan duration)
    {
        long completed = 0, errors = 0;
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        using var cancel = new CancellationTokenSource(duration + TimeSpan.FromSeconds(60));

        async Task Worker()
        {
            await Task.Yield();
            while (Stopwatch.GetTimestamp() < end)
            {
                bool ok;
                try
                {
                    ok = await operation(cancel.Token);
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                {
                    Errors.Note(ex.GetType().Name + ": " + ex.Message);
                    ok = false;
                }

                if (ok) Interlocked.Increment(ref completed);
                else Interlocked.Increment(ref errors);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Worker()));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ClosedLoopResult(completed / seconds, completed, errors, seconds);
    }

    /// <param name="latencies">When given (one slot per request to send), each request's latency in µs by its place in
    /// the schedule, -1 for an error or a drop: the stall watch reads when the slow ones were sent.</param>
    /// <param name="lags">Likewise, how late each request was sent (µs): a late send is the generator's stall, not the server's.</param>
    public static async Task<OpenLoopResult> OpenLoopAsync(
        Operation operation, double rate, TimeSpan duration, long[]? latencies = null, long[]? lags = null)
    {
        var latency = new LongConcurrentHistogram(1, HighestMicros, 3);
        var lag = new LongConcurrentHistogram(1, HighestMicros, 3);
        long errors = 0, inFlight = 0, sent = 0;
        var total = Math.Max(1, (long)(rate * duration.TotalSeconds));
        var interval = Stopwatch.Frequency / rate;
        using var cancel = new CancellationTokenSource(duration + TimeSpan.FromSeconds(60));
        var pending = new List<Task>();
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;

        async Task Send(long index, long intended)
        {
            try
            {
                var late = Math.Max(1, (long)((Stopwatch.GetTimestamp() - intended) * MicrosPerTick));
                lag.RecordValue(late);
                if (lags is not null && index < lags.Length) lags[index] = late;
                bool ok;
                try
                {
                    ok = await operation(cancel.Token);
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                {
                    Errors.Note(ex.GetType().Name + ": " + ex.Message);
                    ok = false;
                }

                var micros = (long)((Stopwatch.GetTimestamp() - intended) * MicrosPerTick);
                if (ok) latency.RecordValue(Math.Clamp(micros, 1, HighestMicros));
                else Interlocked.Increment(ref errors);
                if (latencies is not null && index < latencies.Length) latencies[index] = ok ? micros : -1;
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }

        // A dedicated thread keeps the schedule: it sleeps in 1 ms steps (no spinning: the two cores are
        // shared with the servers) and starts every request whose time has come, late ones included.
        var scheduler = new Thread(() =>
        {
            for (long i = 0; i < total; i++)
            {
                var intended = start + (long)(i * interval);
                while (Stopwatch.GetTimestamp() < intended) Thread.Sleep(1);
                if (Interlocked.Read(ref inFlight) >= MaxInFlight)
                {
                    Errors.Note($"dropped: {MaxInFlight} requests already in flight");
                    Interlocked.Increment(ref errors);
                    if (latencies is not null && i < latencies.Length) latencies[i] = -1;
                    continue;
                }

                Interlocked.Increment(ref inFlight);
                sent++;
                var task = Send(i, intended);
                if (!task.IsCompleted) lock (pending) pending.Add(task);
            }
        })
        { IsBackground = true, Name = "open-loop scheduler", Priority = ThreadPriority.AboveNormal };

        scheduler.Start();
        await Task.Run(scheduler.Join);
        Task[] outstanding;
        lock (pending) outstanding = [.. pending];
        await Task.WhenAll(outstanding);

        double Ms(double percentile) => latency.TotalCount == 0 ? double.NaN : latency.GetValueAtPercentile(percentile) / 1000.0;
        return new OpenLoopResult(rate, sent / duration.TotalSeconds, latency.TotalCount, errors,
            Ms(50), Ms(90), Ms(99), Ms(99.9), latency.TotalCount == 0 ? double.NaN : latency.GetMaxValue() / 1000.0,
            lag.TotalCount == 0 ? double.NaN : lag.GetValueAtPercentile(99) / 1000.0);
    }
}
