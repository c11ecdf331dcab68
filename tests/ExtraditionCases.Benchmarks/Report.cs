using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ExtraditionCases.Benchmarks.Load;
using ExtraditionCases.Benchmarks.Seeding;

namespace ExtraditionCases.Benchmarks;

/// <summary>The Markdown summary: tables of one run, ratios, and the targets they are judged against.</summary>
internal static class Report
{
    public static string Markdown(string commandLine, LoadSettings settings, bool quick, LoadResults results, ScaleResult? scale)
    {
        var load = results.Scenarios;
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));

        Line($"# Benchmark results");
        md.AppendLine();
        Line($"Generated {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC by `dotnet run -c Release --project tests/ExtraditionCases.Benchmarks -- {commandLine}`.");
        md.AppendLine();
        Line($"- Machine: {Environment.ProcessorCount} cores ({Cpu()}), {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}. The load generator, the service and the baseline run as three processes on these same cores.");
        if (load.Count > 0)
        {
            Line($"- Other load: the machine is shared; each measured run starts after waiting (up to 10 s) for other processes to use under 0.25 cores; a run during which they used more than 0.4 cores is repeated (at most twice, 12 times per benchmark) and the least disturbed attempt kept. The CPU other processes used during the kept runs is reported below.");
            Line($"- Mode: {(quick ? "quick" : "full")}. {settings.Repetitions} repetition(s) per system and load, ours and the baseline alternating; medians reported. Saturation: closed loop, {settings.Concurrency} concurrent requests, {settings.Warmup.TotalSeconds:0.#} s warm-up per system and scenario (three times that for the first), then {settings.Saturation.TotalSeconds:0.#} s. Latency: open loop at a constant rate of 50% and 90% of each system's own saturation, {settings.Duration.TotalSeconds:0.#} s per run, measured from each request's intended send time (no coordinated omission), HdrHistogram. Load generator: {(settings.Generator == "raw" ? "raw (a minimal HTTP/1.1 client over sockets, keep-alive)" : "httpclient (.NET HttpClient, SocketsHttpHandler)")}.");
            if (settings.CheckpointInterval is { } interval)
                Line($"- Checkpoint publisher: running in both systems (the service's own class in the baseline), one signing key, a round every {interval.TotalSeconds:0} s; each system on its own copy of the prepared database.");
            md.AppendLine();
            md.AppendLine("## Throughput and latency (ms)");
            md.AppendLine();
            md.AppendLine("Saturation: median req/s (min-max over repetitions). Latency columns: the constant rate sent, then percentiles in ms and the count of errors (wrong status, failures, requests dropped past 4,096 in flight).");
            md.AppendLine();
            md.AppendLine("| Scenario | System | Saturation req/s | 50%: req/s | p50 | p90 | p99 | p99.9 | errors | 90%: req/s | p50 | p90 | p99 | p99.9 | errors |");
            md.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var s in load)
            {
                foreach (var (name, r) in new[] { ("ours", s.Ours), ("baseline", s.Baseline) })
                {
                    var sat = r.SaturationRuns.Sum(x => x.Errors);
                    var spread = r.SaturationRuns.Count > 1
                        ? string.Create(CultureInfo.InvariantCulture, $" ({r.SaturationRuns.Min(x => x.Throughput):0}-{r.SaturationRuns.Max(x => x.Throughput):0})")
                        : "";
                    Line($"| {s.Title} | {name} | {r.Saturation:0}{spread}{(sat > 0 ? $", {sat} err" : "")} | {Row(r.At50)} | {Row(r.At90)} |");
                }
            }

            md.AppendLine();
            md.AppendLine("## Ours / baseline");
            md.AppendLine();
            md.AppendLine("Throughput ratio above 1: ours serves more. Latency ratios above 1: ours is slower (@50% and @90%: each system at that fraction of its own saturation; same rate: both at half the slower one's saturation).");
            md.AppendLine();
            md.AppendLine("| Scenario | Throughput | p50 @50% | p99 @50% | p50 @90% | p99 @90% | p99 at the same rate (req/s) | Other load, cores (median / max) |");
            md.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var s in load)
            {
                Line($"| {s.Title} | {s.Ours.Saturation / s.Baseline.Saturation:0.00}x | {s.Ours.At50.P50 / s.Baseline.At50.P50:0.00}x | {s.Ours.At50.P99 / s.Baseline.At50.P99:0.00}x | {s.Ours.At90.P50 / s.Baseline.At90.P50:0.00}x | {s.Ours.At90.P99 / s.Baseline.At90.P99:0.00}x | {s.Ours.AtSameRate.P99 / s.Baseline.AtSameRate.P99:0.00}x ({s.Ours.AtSameRate.Rate:0}) | {LoadBenchmark.Median(s.ForeignCores):0.00} / {s.ForeignCores.DefaultIfEmpty(double.NaN).Max():0.00} |");
            }

            if (results.Pair is { } statusPair)
            {
                md.AppendLine();
                md.AppendLine("## Status 304 over our 200, back to back");
                md.AppendLine();
                md.AppendLine("Ours only, after the scenarios: each repetition runs a saturation of the 200 and of the 304 next to each other (200 first, then 304 first on the next), each after its own warm-up, so that the ratio compares runs seconds apart rather than a minute or more. CPU per request is the service's own (and the load generator's, which shares the cores).");
                md.AppendLine();
                md.AppendLine("| Repetition | 200 req/s | 304 req/s | 304 / 200 | Service CPU µs/req, 200 / 304 | 200 / 304 CPU | Generator CPU µs/req, 200 / 304 |");
                md.AppendLine("|--:|--:|--:|--:|--:|--:|--:|");
                var n = 0;
                foreach (var (r200, r304) in statusPair.Repetitions)
                    Line($"| {++n} | {r200.Throughput:0} | {r304.Throughput:0} | {r304.Throughput / r200.Throughput:0.00}x | {r200.ServerCpuPerRequest:0.0} / {r304.ServerCpuPerRequest:0.0} | {r200.ServerCpuPerRequest / r304.ServerCpuPerRequest:0.00}x | {r200.GeneratorCpuPerRequest:0.0} / {r304.GeneratorCpuPerRequest:0.0} |");
            }

            md.AppendLine();
            md.AppendLine("## Targets");
            md.AppendLine();
            md.AppendLine("| Target | Measured | Met |");
            md.AppendLine("|---|--:|:-:|");
            var byName = load.ToDictionary(s => s.Name, StringComparer.Ordinal);
            if (byName.TryGetValue("status-200", out var s200))
                Verdict(md, "Status 200 throughput >= 0.9x baseline", s200.Ours.Saturation / s200.Baseline.Saturation, 0.9);
            if (s200 is not null && byName.TryGetValue("status-304", out var s304))
                Verdict(md, "Status 304 throughput >= 1.5x our status 200 (medians of the two scenarios' phases)", s304.Ours.Saturation / s200.Ours.Saturation, 1.5);
            if (results.Pair is { } pair)
            {
                // Every repetition must hold, so the verdict is on the lowest; NaN (a run with errors) fails it.
                var ratios = pair.Ratios.ToList();
                var lowest = ratios.Any(double.IsNaN) ? double.NaN : ratios.Min();
                var each = string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture) + "x"));
                Line($"| Status 304 throughput >= 1.5x our status 200, back to back, every repetition ({each}) | {lowest:0.00}x lowest | {(lowest >= 1.5 ? "yes" : "**no**")} |");
            }

            foreach (var name in new[] { "changes", "history", "search", "report-caseload" })
            {
                if (byName.TryGetValue(name, out var r)) Verdict(md, $"{r.Title}: throughput >= 0.9x baseline", r.Ours.Saturation / r.Baseline.Saturation, 0.9);
            }

            foreach (var name in new[] { "file", "transition" })
            {
                if (!byName.TryGetValue(name, out var w)) continue;
                Verdict(md, $"{w.Title}: throughput >= 0.9x baseline", w.Ours.Saturation / w.Baseline.Saturation, 0.9);
                var p99 = w.Ours.At50.P99;
                Line($"| {w.Title}: p99 < 50 ms at half saturation | {p99:0.00} ms | {(p99 < 50 ? "yes" : "**no**")} |");
            }
        }

        if (scale is not null)
        {
            md.AppendLine();
            md.AppendLine("## Scale check");
            md.AppendLine();
            Line($"The real service on two seeded databases: {scale.Small:N0} cases ({scale.SmallEvents:N0} events) and {scale.Large:N0} cases ({scale.LargeEvents:N0} events; seeding took {scale.LargeSeedTime.TotalSeconds:0} s). Both services run at once and the samples alternate between them, one request at a time; median and p90 in ms. Target: large / small within 1.5x; for the reports, which aggregate every case they cover, the large database's p90 under 2 s.");
            md.AppendLine();
            Line($"| Request | {scale.Small:N0} cases | {scale.Large:N0} cases | Ratio (median) | Target met |");
            md.AppendLine("|---|--:|--:|--:|:-:|");
            foreach (var p in scale.Probes)
                Line($"| {p.Name} | {p.SmallMedian:0.00} (p90 {p.SmallP90:0.00}) | {p.LargeMedian:0.00} (p90 {p.LargeP90:0.00}) | {p.Ratio:0.00}x | {(p.Met ? "yes" : "**no**")}{(p.P99LimitMs is { } p99 ? $" (p99 {p.LargeP99:0.00} ms, target < {p99:0} ms; p99 at the small size {p.SmallP99:0.00} ms)" : p.LimitMs is { } limit ? $" (p90 < {limit:0} ms)" : "")} |");
        }

        return md.ToString();
    }

    private static string Row(OpenLoopSummary o) => string.Create(CultureInfo.InvariantCulture,
        $"{o.Rate:0} | {o.P50:0.00} | {o.P90:0.00} | {o.P99:0.00} | {o.P999:0.00} | {o.Errors}");

    // A side that served nothing (every request an error) gives no ratio: say so rather than "Infinityx yes".
    private static void Verdict(StringBuilder md, string target, double ratio, double floor) =>
        md.AppendLine(double.IsFinite(ratio) && ratio > 0
            ? string.Create(CultureInfo.InvariantCulture, $"| {target} | {ratio:0.00}x | {(ratio >= floor ? "yes" : "**no**")} |")
            : $"| {target} | no ratio (a side served nothing) | **no** |");

    private static string Cpu()
    {
        try
        {
            var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return model?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
