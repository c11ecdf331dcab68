using System.Diagnostics;
using System.Globalization;
using System.Net;
using Dapper;
using ExtraditionCases.Application.Features.Partners;
using ExtraditionCases.Benchmarks.Hosting;
using ExtraditionCases.Benchmarks.Load;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Benchmarks.Seeding;

internal sealed record ScaleProbeResult(string Name, double SmallMedian, double SmallP90, double LargeMedian, double LargeP90)
{
    public double Ratio => LargeMedian / SmallMedian;
}

internal sealed record ScaleResult(int Small, long SmallEvents, int Large, long LargeEvents, TimeSpan LargeSeedTime, IReadOnlyList<ScaleProbeResult> Probes);

/// <summary>
/// Times the reads that must not grow with the database: the same requests against the real service
/// on a seeded small and a seeded large database, one request at a time (median of N after a warm-up).
/// </summary>
internal static class ScaleCheck
{
    private sealed record Probe(string Name, Func<Random, HttpRequestMessage> Request);

    public static async Task<ScaleResult> RunAsync(
        int small, int large, double eventsPerCase, int samples, BenchTokens tokens, string folder, string serviceDll)
    {
        var measured = new List<(int Cases, SeedReport Seed, Dictionary<string, (double Median, double P90)> Times)>();
        foreach (var cases in new[] { small, large })
        {
            var database = Path.Combine(folder, $"scale-{cases}.db");
            Console.WriteLine($"\n== Scale: seeding {cases:N0} cases, about {cases * eventsPerCase:N0} events into {database}");
            var seed = await Seeder.SeedAsync(database, cases, (long)(cases * eventsPerCase), 42, Console.Out);
            Console.WriteLine($"  seeded {seed.Cases:N0} cases, {seed.Events:N0} events, {seed.FeedRows:N0} feed rows, {seed.Deadlines:N0} clocks in {seed.Elapsed.TotalSeconds:0.0} s");

            var probes = await ProbesAsync(database, (int)Math.Round(eventsPerCase), tokens);
            var environment = new Dictionary<string, string>(tokens.Environment(), StringComparer.Ordinal)
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__Cases"] = $"Data Source={database}",
                ["Database__Provider"] = "Sqlite",
                ["RateLimiting__Enabled"] = "false",
            };
            await using var service = await ChildProcess.StartAsync("service", serviceDll, [], environment, "/health/ready");
            using var client = Requests.Client(service.BaseAddress);
            var times = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
            foreach (var probe in probes)
            {
                times[probe.Name] = await TimeAsync(client, probe, samples);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {probe.Name,-58} median {times[probe.Name].Item1,8:0.00} ms  p90 {times[probe.Name].Item2,8:0.00} ms"));
            }

            measured.Add((cases, seed, times));
        }

        var (s, l) = (measured[0], measured[1]);
        return new ScaleResult(s.Cases, s.Seed.Events, l.Cases, l.Seed.Events, l.Seed.Elapsed,
            [.. s.Times.Keys.Select(k => new ScaleProbeResult(k, s.Times[k].Median, s.Times[k].P90, l.Times[k].Median, l.Times[k].P90))]);
    }

    private static async Task<List<Probe>> ProbesAsync(string database, int typicalEvents, BenchTokens tokens)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        var visible = (await connection.QueryAsync<string>(
            "SELECT Id FROM Cases WHERE RequestingState = 'PK' OR RequestedState = 'PK' ORDER BY random() LIMIT 500")).AsList();
        var typical = (await connection.QueryAsync<string>(
            "SELECT Id FROM Cases WHERE Version = @Version AND (RequestingState = 'PK' OR RequestedState = 'PK') ORDER BY random() LIMIT 200",
            new { Version = typicalEvents })).AsList();
        if (typical.Count == 0) typical = visible;
        var feedLength = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(Seq), 0) FROM ChangeFeed WHERE Audience = 'PK'");
        SqliteConnection.ClearAllPools();

        return
        [
            new("Status read (partner, 200)", r => Requests.Get($"/api/v1/cases/{visible[r.Next(visible.Count)]}/status", tokens.PartnerPk)),
            new($"History of a case ({typicalEvents} events, auditor)", r => Requests.Get($"/api/v1/cases/{typical[r.Next(typical.Count)]}/history", tokens.Auditor)),
            new("Change-feed page (partner, limit 100, random position)", r =>
                Requests.Get($"/api/v1/changes?limit=100&cursor={GetChanges.WriteCursor(r.NextInt64(Math.Max(1, feedLength - 100)))}", tokens.PartnerPk)),
            new("Overdue clocks: /deadlines?status=Missed&limit=50 (officer)", _ => Requests.Get("/api/v1/deadlines?status=Missed&limit=50", tokens.OfficerPk)),
            new("Overdue clocks: /deadlines?status=Missed&limit=50 (auditor)", _ => Requests.Get("/api/v1/deadlines?status=Missed&limit=50", tokens.Auditor)),
            new("Overdue cases: /cases?overdue=true&limit=50 (officer)", _ => Requests.Get("/api/v1/cases?overdue=true&limit=50", tokens.OfficerPk)),
        ];
    }

    private static async Task<(double Median, double P90)> TimeAsync(HttpClient client, Probe probe, int samples)
    {
        var random = new Random(7);
        for (var i = 0; i < 20; i++) await SendAsync(client, probe.Request(random));
        var times = new List<double>(samples);
        var budget = Stopwatch.StartNew();
        while (times.Count < samples && (budget.Elapsed < TimeSpan.FromSeconds(30) || times.Count < 10))
        {
            var request = probe.Request(random);
            var started = Stopwatch.GetTimestamp();
            await SendAsync(client, request);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        return (LoadBenchmark.Median(times), times[(int)Math.Min(times.Count - 1, Math.Ceiling(times.Count * 0.9) - 1)]);
    }

    private static async Task SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"{request.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
    }
}
