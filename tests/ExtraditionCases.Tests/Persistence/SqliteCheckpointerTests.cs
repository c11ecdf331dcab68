using Dapper;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>SQLite's checkpoints run off the write path, on a real file, with a fake clock.</summary>
public sealed class SqliteCheckpointerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    public async Task Commits_checkpoint_only_past_the_backstop_while_the_checkpointer_runs_and_every_1000_pages_when_it_is_off()
    {
        using var database = TemporarySqliteDatabase.CreateMigrated();
        await using var on = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        var off = new DatabaseOptions { ConnectionString = database.Options.ConnectionString, SqliteCheckpointIntervalMs = 0 };
        await using var withoutIt = await ConnectionFactory.OpenAsync(off, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(await on.QuerySingleAsync<long>("PRAGMA wal_autocheckpoint"), Is.EqualTo(DatabaseOptions.SqliteBackstopCheckpointPages));
            Assert.That(await withoutIt.QuerySingleAsync<long>("PRAGMA wal_autocheckpoint"), Is.EqualTo(1000));
        });
    }

    [Test]
    public async Task Each_pass_copies_the_whole_log_into_the_database_file_and_the_next_write_restarts_the_log()
    {
        using var database = TemporarySqliteDatabase.CreateMigrated();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var logs = new FakeLogCollector();
        using var checkpointer = new SqliteCheckpointer(database.Options, clock, new FakeLogger<SqliteCheckpointer>(logs));
        await using var writer = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        await writer.ExecuteAsync("CREATE TABLE Scratch (Id INTEGER PRIMARY KEY, Body TEXT NOT NULL)");
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            // A hundred pages and more of log, below the backstop, so no commit checkpoints them itself.
            for (var i = 0; i < 20; i++)
                await writer.ExecuteAsync("INSERT INTO Scratch (Body) VALUES (@Body)", new { Body = new string('x', 20_000) });
            var fileBefore = new FileInfo(writer.DataSource).Length;

            await PassAsync(checkpointer, clock, database.Options);
            var pageSize = await writer.QuerySingleAsync<long>("PRAGMA page_size");
            Assert.Multiple(() =>
            {
                Assert.That(checkpointer.Health.LogFrames, Is.GreaterThan(100));
                Assert.That(checkpointer.Health.CheckpointedFrames, Is.EqualTo(checkpointer.Health.LogFrames), "a passive checkpoint with no reader copied it all");
                Assert.That(new FileInfo(writer.DataSource).Length - fileBefore, Is.GreaterThanOrEqualTo(100 * pageSize), "the rows are now in the database file");
                Assert.That(checkpointer.Health.ConsecutiveFailures, Is.Zero);
            });

            // The next write starts the log again from its beginning; the next pass copies that too, and reads see every row.
            await writer.ExecuteAsync("INSERT INTO Scratch (Body) VALUES ('after')");
            await PassAsync(checkpointer, clock, database.Options);
            Assert.Multiple(async () =>
            {
                Assert.That(checkpointer.Health.LogFrames, Is.InRange(1, 10));
                Assert.That(checkpointer.Health.CheckpointedFrames, Is.EqualTo(checkpointer.Health.LogFrames));
                Assert.That(await writer.QuerySingleAsync<long>("SELECT COUNT(*) FROM Scratch"), Is.EqualTo(21));
            });
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }

        Assert.That(logs.GetSnapshot().Where(l => l.Level >= LogLevel.Error), Is.Empty);
    }

    [Test]
    public async Task A_failing_pass_is_logged_shown_in_health_and_retried_with_backoff_without_stopping_the_host()
    {
        using var folder = TemporarySqliteDatabase.CreateMigrated();
        // A file in a directory that does not exist: opening the checkpointer's connection fails on every pass.
        var options = new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(folder.Folder, "missing", "cases.db")}" };
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var logs = new FakeLogCollector();
        using var checkpointer = new SqliteCheckpointer(options, clock, new FakeLogger<SqliteCheckpointer>(logs));
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            await AdvanceUntilAsync(clock, TimeSpan.FromMilliseconds(options.SqliteCheckpointIntervalMs), () => checkpointer.Health.ConsecutiveFailures >= 1);
            // The first retry waits 2 s (backoff), then the interval: not before 1.9 s, and soon after 2.1 s.
            clock.Advance(TimeSpan.FromSeconds(1.9));
            await Task.Delay(300);
            Assert.That(checkpointer.Health.ConsecutiveFailures, Is.EqualTo(1), "still backing off");
            await AdvanceUntilAsync(clock, TimeSpan.FromMilliseconds(100), () => checkpointer.Health.ConsecutiveFailures >= 2,
                fakeBudget: TimeSpan.FromSeconds(2.5));
            await WaitForAsync(() => logs.GetSnapshot().Count(l => l.Level == LogLevel.Error && l.Id.Id == 1901) >= 2);

            Assert.Multiple(() =>
            {
                Assert.That(checkpointer.Health.Running, Is.True);
                Assert.That(checkpointer.Health.LastError, Is.EqualTo(nameof(Microsoft.Data.Sqlite.SqliteException)));
                Assert.That(checkpointer.ExecuteTask!.IsFaulted, Is.False, "a failure never ends the service");
                Assert.That(logs.GetSnapshot().Count(l => l.Level == LogLevel.Error && l.Id.Id == 1901), Is.GreaterThanOrEqualTo(2));
            });
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }

        Assert.That(checkpointer.ExecuteTask!.IsCompletedSuccessfully, Is.True, "a stop ends it cleanly");
    }

    private static async Task PassAsync(SqliteCheckpointer checkpointer, FakeTimeProvider clock, DatabaseOptions options)
    {
        var passedBefore = checkpointer.Health.LastPassAt;
        await AdvanceUntilAsync(clock, TimeSpan.FromMilliseconds(options.SqliteCheckpointIntervalMs),
            () => checkpointer.Health.LastPassAt is { } at && at != passedBefore && checkpointer.Health.LogFrames > 0);
    }

    /// <summary>
    /// Moves the fake clock a step at a time until the background loop has done what <paramref name="done"/> asks; with
    /// <paramref name="fakeBudget"/>, it must get there within that much fake time. A step's pause lets the loop, which
    /// runs on the thread pool, reach its next delay, so an advance is not spent before the loop waits on it.
    /// </summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider clock, TimeSpan step, Func<bool> done, TimeSpan? fakeBudget = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var advanced = TimeSpan.Zero;
        while (!done())
        {
            if (waited.Elapsed > Patience) Assert.Fail("the checkpointer did not get there");
            if (advanced > fakeBudget) Assert.Fail($"the checkpointer took more than {fakeBudget} of its clock");
            clock.Advance(step);
            advanced += step;
            await Task.Delay(50);
        }
    }

    private static async Task WaitForAsync(Func<bool> done)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            if (waited.Elapsed > Patience) Assert.Fail("not logged in time");
            await Task.Delay(20);
        }
    }
}
