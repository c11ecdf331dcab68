using System.Diagnostics;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Deadlines;
using ExtraditionCases.Benchmarks.Seeding;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Infrastructure;
using ExtraditionCases.Infrastructure.Cases;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Infrastructure.Webhooks;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Benchmarks.Micro;

/// <summary>
/// <c>lists-sql --db PATH [--db2 PATH] [--samples N] [--touch]</c>: the scale check's overdue lists (<c>/deadlines?status=Missed</c>
/// and <c>/cases?overdue=true</c>, first page of 50) through their handlers alone, in this process, over seeded databases
/// (no HTTP, no access log, nothing else in flight), the files' samples alternating. It tells a list's own cost at each
/// size from the service's around it. The files are changed only with --touch.
/// </summary>
internal static class ListTiming
{
    public static async Task RunAsync(IReadOnlyList<string> paths, int samples, bool touch)
    {
        Microsoft.Extensions.DependencyInjection.ServiceCollection services = [];
        services.AddInfrastructure(new DatabaseOptions());
        var sides = paths.Select(p => (Path: p, Options: new DatabaseOptions
        {
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = p }.ToString(), MigrateOnStartup = false,
        }, Gate: new SqliteWriterGate())).ToList();
        foreach (var side in sides) Console.WriteLine($"{Path.GetFileName(side.Path)}: {ScaleCheck.WarmFileCache(side.Path) / (1 << 20):N0} MiB read into the page cache");
        using var signal = new WebhookSignal();
        Caller officer = new("officer-pk", Caller.Officer, "PK", null, "bench"), auditor = new("auditor", Caller.Auditor, null, null, "bench");
        var lists = new (string Name, Func<DatabaseSession, Task<int>> Run)[]
        {
            ("deadlines Missed, officer PK", s => Deadlines(s, officer)),
            ("deadlines Missed, auditor", s => Deadlines(s, auditor)),
            ("cases overdue, officer PK", s => Cases(s, officer)),
            ("cases overdue, auditor", s => Cases(s, auditor)),
        };
        // --touch: another connection commits a one-row write to each file (a table of its own, BenchTouch) before every
        // sample, as the service's access log does after nearly every request; SQLite then begins each read with the
        // connection's page cache emptied (WAL: the database changed), so the pages a list touches are read again.
        var touchers = new List<SqliteConnection>();
        if (touch)
            foreach (var side in sides)
            {
                var connection = new SqliteConnection(side.Options.ConnectionString);
                await connection.OpenAsync();
                await using (var create = connection.CreateCommand())
                {
                    create.CommandText = "CREATE TABLE IF NOT EXISTS BenchTouch (Id INTEGER PRIMARY KEY, At TEXT)";
                    await create.ExecuteNonQueryAsync();
                }

                touchers.Add(connection);
            }

        var times = sides.Select(_ => lists.Select(_ => new List<double>()).ToArray()).ToArray();
        for (var i = -30; i < samples; i++)
            for (var l = 0; l < lists.Length; l++)
                for (var s = 0; s < sides.Count; s++)
                {
                    if (touch)
                    {
                        await using var write = touchers[s].CreateCommand();
                        write.CommandText = "INSERT INTO BenchTouch (At) VALUES (datetime('now'))";
                        await write.ExecuteNonQueryAsync();
                    }

                    var watch = Stopwatch.StartNew();
                    await using var session = new DatabaseSession(sides[s].Options, sides[s].Gate);
                    var count = await lists[l].Run(session);
                    watch.Stop();
                    if (i >= 0) times[s][l].Add(watch.Elapsed.TotalMilliseconds);
                    if (i == 0) Console.WriteLine($"  {lists[l].Name} on {Path.GetFileName(sides[s].Path)}: {count} items");
                }

        Console.WriteLine($"The overdue lists' handlers alone, {samples} samples each (after 30 warm-up); p50 / p90 / p99 ms");
        for (var l = 0; l < lists.Length; l++)
        {
            var row = sides.Select((side, s) =>
            {
                var sorted = times[s][l].Order().ToList();
                double P(double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
                return $"{Path.GetFileName(side.Path)} {P(0.5):F2} / {P(0.9):F2} / {P(0.99):F2}";
            });
            Console.WriteLine($"{lists[l].Name,-32} {string.Join("   ", row)}");
        }

        async Task<int> Deadlines(DatabaseSession session, Caller caller) =>
            (await new ListDeadlines.Handler(session, TimeProvider.System).Handle(
                new ListDeadlines.Query(caller, DeadlineStatus.Missed, null, ListDeadlines.DefaultLimit, null), CancellationToken.None)).Items.Count;

        async Task<int> Cases(DatabaseSession session, Caller caller) =>
            (await new ListCases.Handler(new CaseStore(session, new DeadlineOptions(), new WebhookOutbox(session, signal)), TimeProvider.System, AgencyPowers.Unconfigured)
                .Handle(new ListCases.Query(caller, null, null, null, true, ListCases.DefaultLimit, null), CancellationToken.None)).Items.Count;
    }
}
