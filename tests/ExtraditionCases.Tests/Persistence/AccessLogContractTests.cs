using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Audit;
using ExtraditionCases.Domain;
using ExtraditionCases.Infrastructure.Access;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What the access log promises, on every provider at hand: an entry recorded is stored as recorded
/// (instants to the millisecond) and readable at once, pages filter by time, case and exact subject and
/// continue after an id, and stopping the hosted service writes everything queued before it returns.
/// Each test keeps to subjects of its own and reads only after the last id stored before it began.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class AccessLogContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    [Test]
    public async Task Entries_are_stored_as_recorded_and_readable_at_once_in_the_order_recorded()
    {
        var log = await StartAsync();
        var start = await LastIdAsync();
        var caseId = Guid.NewGuid();
        // Sub-millisecond ticks: kept to the millisecond, like every instant.
        var at = Now.AddTicks(4_567);
        AccessEntry[] entries =
        [
            new(at, "افسر-۱-PK", Caller.Officer, "PK", caseId, "GET", "/api/v1/cases/{id}", 200, "4bf92f3577b34da6a3ce929d0e0e4736", "203.0.113.7"),
            // 401 and 429 are rolled up per client and minute (their own test below); a 403 is stored as it is.
            new(at.AddSeconds(1), null, null, null, null, "OTHER", "/api/v1/cases", 403, null, null),
            new(at.AddSeconds(2), "auditor-1", Caller.Auditor, null, null, "GET", "/api/v1/audit/events", 200, "trace-2", "2001:db8::1"),
            new(at.AddSeconds(3), "partner-GB", Caller.Partner, "GB", caseId, "HEAD", new string('e', 200), 304, new string('t', 64), "::ffff:192.0.2.128"),
        ];

        foreach (var entry in entries) log.Record(entry);
        var page = await RecordsAsync(log, new ListAccess.Query(AuditWindow.All, 100, start));
        await log.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(page.Select(r => r.Entry), Is.EqualTo(entries.Select(e => e with { At = Instant.Truncate(e.At) })));
            Assert.That(page.Select(r => r.Id), Is.Ordered.Ascending.And.Unique);
            Assert.That(page.Select(r => r.Id), Has.All.GreaterThan(start));
            Assert.That(page[0].Entry.At.Offset, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [Test]
    public async Task Pages_filter_by_time_case_and_exact_subject_and_continue_after_an_id()
    {
        var log = await StartAsync();
        var start = await LastIdAsync();
        var upper = $"Partner-{Guid.NewGuid():N}";
        var lower = upper.ToLowerInvariant();
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var t0 = Now.AddDays(3);
        AccessEntry[] entries =
        [
            Entry(t0, upper, a), Entry(t0.AddSeconds(1), lower, b), Entry(t0.AddSeconds(2), upper, b), Entry(t0.AddSeconds(3), lower, a),
            Entry(t0.AddSeconds(4), null, null),
        ];
        foreach (var entry in entries) log.Record(entry);

        var window = await PageAsync(log, new ListAccess.Query(new AuditWindow(t0.AddSeconds(1), t0.AddSeconds(3), null, null), 100, start));
        var ofA = await PageAsync(log, new ListAccess.Query(new AuditWindow(null, null, a, null), 100, start));
        var byUpper = await PageAsync(log, new ListAccess.Query(new AuditWindow(null, null, null, upper), 100, start));
        var byLower = await PageAsync(log, new ListAccess.Query(new AuditWindow(null, null, null, lower), 100, start));
        var ofBByUpper = await PageAsync(log, new ListAccess.Query(new AuditWindow(t0, null, b, upper), 100, start));
        var firstPage = await RecordsAsync(log, new ListAccess.Query(AuditWindow.All, 2, start));
        var secondPage = await RecordsAsync(log, new ListAccess.Query(AuditWindow.All, 2, firstPage[^1].Id));
        var thirdPage = await RecordsAsync(log, new ListAccess.Query(AuditWindow.All, 2, secondPage[^1].Id));
        var beyond = await RecordsAsync(log, new ListAccess.Query(AuditWindow.All, 2, thirdPage[^1].Id));

        Assert.Multiple(() =>
        {
            Assert.That(window, Is.EqualTo(entries[1..3]), "from inclusive, to exclusive");
            Assert.That(ofA, Is.EqualTo(new[] { entries[0], entries[3] }));
            Assert.That(byUpper, Is.EqualTo(new[] { entries[0], entries[2] }), "subjects differing only in case are different callers");
            Assert.That(byLower, Is.EqualTo(new[] { entries[1], entries[3] }));
            Assert.That(ofBByUpper, Is.EqualTo(new[] { entries[2] }));
            Assert.That(firstPage.Concat(secondPage).Concat(thirdPage).Select(r => r.Entry), Is.EqualTo(entries));
            Assert.That((firstPage.Count, secondPage.Count, thirdPage.Count), Is.EqualTo((2, 2, 1)));
            Assert.That(beyond, Is.Empty);
        });
    }

    [Test]
    public async Task Stopping_writes_everything_queued_before_it_returns()
    {
        var log = await StartAsync();
        var subject = $"officer-{Guid.NewGuid():N}";
        // More than one batch, queued faster than it is written.
        const int Count = 1_203;
        // Statuses 200-499 but 401 and 429, which are rolled up rather than stored one by one.
        static int StatusOf(int i) => 200 + (i % 300) is var s && s is 401 or 429 ? s + 1 : s;
        for (var i = 0; i < Count; i++) log.Record(Entry(Now.AddMilliseconds(i), subject, null, StatusOf(i)));

        await log.StopAsync(CancellationToken.None);

        var stored = await QueryAsync<long>("SELECT COUNT(*) FROM AccessLog WHERE Subject = @Subject", new { Subject = subject });
        var statuses = await QueryAsync<int>("SELECT Status FROM AccessLog WHERE Subject = @Subject ORDER BY Id", new { Subject = subject });
        Assert.Multiple(() =>
        {
            Assert.That(stored.Single(), Is.EqualTo(Count));
            Assert.That(statuses, Is.EqualTo(Enumerable.Range(0, Count).Select(StatusOf)), "in the order recorded");
        });
    }

    [Test]
    public void The_access_log_is_the_hosts_hosted_service_and_the_requests_log()
    {
        var log = Services.GetRequiredService<AccessLog>();

        Assert.Multiple(() =>
        {
            Assert.That(Services.GetServices<IHostedService>(), Has.Some.SameAs(log), "so the host starts it and drains it on shutdown");
            Assert.That(Services.GetRequiredService<IAccessLog>(), Is.SameAs(log));
        });
    }

    [Test]
    public async Task Refusals_401_and_429_roll_up_per_client_and_minute_and_each_entry_is_a_leaf_of_the_access_tree()
    {
        var log = await StartAsync();
        var start = await LastIdAsync();
        var minute = new DateTimeOffset(2027, 1, 5, 9, 30, 0, TimeSpan.Zero);
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid() };
        for (var i = 0; i < 50; i++) log.Record(new AccessEntry(minute.AddSeconds(i), null, null, null, null, "GET", "/api/v1/cases", 401, $"t{i}", "192.0.2.9"));
        for (var i = 0; i < 7; i++) log.Record(new AccessEntry(minute.AddSeconds(i), null, null, null, null, "GET", "/api/v1/cases", 401, $"u{i}", "192.0.2.10"));
        log.Record(new AccessEntry(minute.AddSeconds(5), "p", Caller.Partner, "GB", null, "GET", "/api/v1/changes", 429, "v", "192.0.2.9"));
        log.Record(new AccessEntry(minute.AddMinutes(1), "p", Caller.Partner, "GB", null, "GET", "/api/v1/changes", 200, "w", "192.0.2.9", CaseIds: ids));
        var page = await RecordsAsync(log, new ListAccess.Query(AuditWindow.All, 100, start));
        await log.StopAsync(CancellationToken.None);
        var leaves = await QueryAsync<long>(Sql("SELECT AccessId FROM TransparencyLeaves WHERE Tree = 'access' AND AccessId > @Start",
            "SELECT AccessId FROM dbo.TransparencyLeaves WHERE Tree = N'access' AND AccessId > @Start"), new { Start = start });

        Assert.Multiple(() =>
        {
            Assert.That(page.Select(r => (r.Entry.Status, r.Entry.ClientAddress, r.Entry.Count, r.Entry.At)),
                Is.EquivalentTo(new[] { (401, (string?)"192.0.2.9", 50, minute), (401, "192.0.2.10", 7, minute), (429, "192.0.2.9", 1, minute), (200, "192.0.2.9", 1, minute.AddMinutes(1)) }));
            Assert.That(page.Single(r => r.Entry.Status == 200).Entry.CaseIds, Is.EqualTo(ids));
            Assert.That(leaves, Is.EquivalentTo(page.Select(r => r.Id)));
        });
    }

    [Test]
    public async Task Entries_gather_for_the_commit_window_and_an_auditors_read_or_a_stop_ends_it_at_once()
    {
        // The longest window allowed, far longer than the test waits: only a flush or a stop can have stored these.
        var log = new AccessLog(Options, Services.GetRequiredService<SqliteWriterGate>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<AccessLog>.Instance,
            new AccessLogOptions { CommitWindow = TimeSpan.FromMinutes(1) });
        await log.StartAsync(CancellationToken.None);
        var start = await LastIdAsync();
        var subject = $"window-{Guid.NewGuid():N}";
        try
        {
            log.Record(Entry(Now, subject, null));
            await Task.Delay(300);
            var gathering = log.Pending;
            var stored = await StoredAsync();

            log.Record(Entry(Now.AddSeconds(1), subject, null));
            var flush = log.FlushAsync(CancellationToken.None);
            var flushed = await Task.WhenAny(flush, Task.Delay(TimeSpan.FromSeconds(10))) == flush;
            // Stored at all means the window was ended (it is a minute); a loaded machine may take longer than the flush waits.
            var afterFlush = await StoredAsync();
            for (var i = 0; i < 100 && afterFlush < 2; i++)
            {
                await Task.Delay(100);
                afterFlush = await StoredAsync();
            }

            log.Record(Entry(Now.AddSeconds(2), subject, null));
            await Task.Delay(100);
            var stop = log.StopAsync(CancellationToken.None);
            var stopped = await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(10))) == stop;
            var afterStop = await StoredAsync();

            Assert.Multiple(() =>
            {
                Assert.That((gathering, stored), Is.EqualTo((1L, 0L)), "an entry waits for its window to close");
                Assert.That((flushed, afterFlush), Is.EqualTo((true, 2L)), "an auditor's read ends the window: both entries stored at once");
                Assert.That(stopped, Is.True, "stopping ends the window and drains the queue");
                Assert.That(afterStop, Is.EqualTo(3L));
            });
        }
        finally
        {
            await log.StopAsync(CancellationToken.None);
        }

        async Task<long> StoredAsync() => (await QueryAsync<long>(
            Sql("SELECT COUNT(*) FROM AccessLog WHERE Id > @Start AND Subject = @Subject", "SELECT COUNT_BIG(*) FROM dbo.AccessLog WHERE Id > @Start AND Subject = @Subject"),
            new { Start = start, Subject = subject })).Single();
    }

    [TestCase(-1)]
    [TestCase(60_001)]
    public void A_commit_window_outside_zero_to_a_minute_stops_the_start(int milliseconds)
    {
        var log = new AccessLog(Options, Services.GetRequiredService<SqliteWriterGate>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<AccessLog>.Instance,
            new AccessLogOptions { CommitWindow = TimeSpan.FromMilliseconds(milliseconds) });
        Assert.That(() => log.StartAsync(CancellationToken.None), Throws.InvalidOperationException.With.Message.Contains("AccessLog:CommitWindow"));
    }

    [Test]
    public void The_queue_is_bounded_requests_past_it_are_not_admitted()
    {
        var log = new AccessLog(Options, Services.GetRequiredService<SqliteWriterGate>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<AccessLog>.Instance,
            new AccessLogOptions { QueueCapacity = 3 });
        // Not started: nothing is written, so places are only taken.
        var admitted = Enumerable.Range(0, 10).Select(_ => log.TryAdmit()).ToList();
        log.Record(Entry(Now, "x", null), admitted: false);
        Assert.Multiple(() =>
        {
            Assert.That(admitted.Count(a => a), Is.EqualTo(3));
            Assert.That(log.Pending, Is.EqualTo(3), "an entry past the bound is dropped (and logged), never queued");
        });
    }

    private static AccessEntry Entry(DateTimeOffset at, string? subject, Guid? caseId, int status = 200) =>
        new(at, subject, subject is null ? null : Caller.Partner, subject is null ? null : "GB", caseId, "GET", "/api/v1/changes",
            status, $"trace-{status}", "198.51.100.4");

    /// <summary>The singleton the container hands to requests, started the way the host starts it.</summary>
    private async Task<AccessLog> StartAsync()
    {
        var log = Services.GetRequiredService<AccessLog>();
        await log.StartAsync(CancellationToken.None);
        return log;
    }

    /// <summary>A page the way auditors read one (ListAccess): once what was queued so far is stored.</summary>
    private async Task<IReadOnlyList<ListAccess.Record>> RecordsAsync(AccessLog log, ListAccess.Query filter)
    {
        await log.FlushAsync(CancellationToken.None);
        await using var session = Open();
        return await ListAccess.ReadAsync(session.Get<IDatabaseSession>(), filter, CancellationToken.None);
    }

    private async Task<IEnumerable<AccessEntry>> PageAsync(AccessLog log, ListAccess.Query filter) =>
        (await RecordsAsync(log, filter)).Select(r => r.Entry);

    private async Task<long> LastIdAsync() => (await QueryAsync<long>("SELECT COALESCE(MAX(Id), 0) FROM AccessLog")).Single();
}
