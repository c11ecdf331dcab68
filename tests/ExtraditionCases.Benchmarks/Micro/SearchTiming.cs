using System.Diagnostics;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Search;
using ExtraditionCases.Benchmarks.Seeding;
using ExtraditionCases.Infrastructure;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Benchmarks.Micro;

/// <summary>
/// <c>search-sql --db PATH [--samples N]</c>: the search handler alone, in this process, over a seeded database (no
/// HTTP, no other request in flight): its two statements through a <see cref="DatabaseSession"/> per query, as the
/// service runs them. On a shared machine this separates the query's own cost from the service's queueing.
/// </summary>
internal static class SearchTiming
{
    public static async Task RunAsync(string path, int samples)
    {
        // The type handlers the service registers with its infrastructure (GUIDs and instants stored as text).
        Microsoft.Extensions.DependencyInjection.ServiceCollection services = [];
        services.AddInfrastructure(new DatabaseOptions());
        var options = new DatabaseOptions { ConnectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString(), MigrateOnStartup = false };
        // The file read into the OS page cache first, as the scale check does: otherwise the first queries to touch a page
        // read it from disk (this machine's kernel reclaims idle file pages), and that, not the query, is the tail.
        Console.WriteLine($"{ScaleCheck.WarmFileCache(path) / (1 << 20):N0} MiB read into the page cache");
        SearchQueries queries;
        await using (var connection = new SqliteConnection(options.ConnectionString))
        {
            await connection.OpenAsync();
            queries = await SearchQueries.LoadAsync(connection);
        }

        var gate = new SqliteWriterGate();
        Caller[] callers = [new("officer-pk", Caller.Officer, "PK", null, "bench"), new("auditor", Caller.Auditor, null, null, "bench")];
        var random = new Random(14);
        var times = callers.ToDictionary(c => c.Role, _ => new List<(double Ms, string Kind, string Q, int Results, bool Truncated)>());
        for (var i = -50; i < samples; i++)
        {
            var q = queries.Next(random, out var kind);
            foreach (var caller in callers)
            {
                var watch = Stopwatch.StartNew();
                await using var session = new DatabaseSession(options, gate);
                var page = await new SearchCases.Handler(session).Handle(new SearchCases.Query(caller, q, SearchCases.DefaultLimit, null), CancellationToken.None);
                watch.Stop();
                if (i >= 0) times[caller.Role].Add((watch.Elapsed.TotalMilliseconds, kind, q, page.Items.Count, page.Truncated));
            }
        }

        Console.WriteLine($"Search handler alone over {path}, {samples} queries per caller (after 50 warm-up), limit {SearchCases.DefaultLimit}; ms");
        foreach (var (role, list) in times)
        {
            var sorted = list.Select(t => t.Ms).Order().ToList();
            double P(double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
            Console.WriteLine($"{role}: p50 {P(0.5):F2}, p90 {P(0.9):F2}, p99 {P(0.99):F2}, max {sorted[^1]:F2}");
            foreach (var group in list.GroupBy(t => t.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var ms = group.Select(t => t.Ms).Order().ToList();
                Console.WriteLine($"  {group.Key}: n {ms.Count}, p50 {ms[ms.Count / 2]:F2}, max {ms[^1]:F2}, truncated {group.Count(t => t.Truncated)}");
            }

            foreach (var slow in list.OrderByDescending(t => t.Ms).Take(3))
                Console.WriteLine($"  slowest: {slow.Ms:F2} ms, \"{slow.Q}\" ({slow.Kind}), {slow.Results} results{(slow.Truncated ? ", truncated" : "")}");
        }
    }
}
