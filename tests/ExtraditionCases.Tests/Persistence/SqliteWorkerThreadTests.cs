using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain;
using ExtraditionCases.Infrastructure.Access;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// The access-log writer's and the checkpointer's SQLite calls block a thread of their own, not the pool's: when the
/// disk stalls, their commits' and checkpoints' fsyncs must not hold the threads that serve requests (issue 20, tenth
/// round).
/// </summary>
public sealed class SqliteWorkerThreadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    public async Task Work_runs_on_the_named_thread_off_the_pool_and_its_result_or_exception_comes_back()
    {
        using var thread = new SqliteWorkerThread("worker under test");

        var (name, onPool, id) = await thread.RunAsync(() => (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread, Environment.CurrentManagedThreadId));
        var failure = thread.RunAsync<int>(() => throw new TimeoutException("the disk"));

        Assert.Multiple(() =>
        {
            Assert.That(name, Is.EqualTo("worker under test"));
            Assert.That(onPool, Is.False);
            Assert.That(id, Is.EqualTo(thread.ManagedThreadId));
            Assert.That(async () => await failure, Throws.TypeOf<TimeoutException>().With.Message.EqualTo("the disk"));
        });
    }

    [Test]
    public async Task Disposing_finishes_the_work_queued_and_refuses_new_work()
    {
        var thread = new SqliteWorkerThread("worker under test");
        using var release = new ManualResetEventSlim();
        var first = thread.RunAsync(() => release.Wait(Patience));
        var second = thread.RunAsync(() => 2);

        var disposing = Task.Run(thread.Dispose);
        // Once new work is refused, the stop has begun; it must still wait for the work in hand.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!Refused())
        {
            if (waited.Elapsed > Patience) Assert.Fail("the stop never began");
            await Task.Delay(10);
        }

        await Task.Delay(100);
        var disposedWhileBusy = disposing.IsCompleted;
        release.Set();
        await disposing.WaitAsync(Patience);

        Assert.Multiple(async () =>
        {
            Assert.That(disposedWhileBusy, Is.False, "a stop waits for the work in hand");
            Assert.That(await first, Is.True);
            Assert.That(await second, Is.EqualTo(2), "work queued before the stop is done");
            Assert.That(Refused(), Is.True);
        });

        bool Refused()
        {
            try
            {
                _ = thread.RunAsync(() => 3);
                return false;
            }
            catch (ObjectDisposedException)
            {
                return true;
            }
        }
    }

    [Test]
    public async Task The_access_log_commits_its_batches_off_the_pool_and_a_stalled_commit_still_lands()
    {
        using var database = TemporarySqliteDatabase.CreateMigrated();
        using var gate = new SqliteWriterGate();
        // The commit hook runs inside COMMIT, on the committing thread: where a stalled fsync would hold it.
        var committedOnPool = new List<bool>();
        var committedOn = new List<string?>();
        await gate.Gate.WaitAsync();
        try
        {
            var connection = await gate.ConnectionAsync(database.Options, CancellationToken.None);
            SQLitePCL.raw.sqlite3_commit_hook(connection.Handle, _ =>
            {
                lock (committedOnPool)
                {
                    committedOnPool.Add(Thread.CurrentThread.IsThreadPoolThread);
                    committedOn.Add(Thread.CurrentThread.Name);
                }

                Thread.Sleep(200); // a slow disk
                return 0; // go on with the commit
            }, null);
        }
        finally
        {
            gate.Gate.Release();
        }

        var log = new AccessLog(database.Options, gate, NullLogger<AccessLog>.Instance);
        await log.StartAsync(CancellationToken.None);
        try
        {
            Assert.That(log.TryAdmit(), Is.True);
            log.Record(new AccessEntry(DateTimeOffset.UtcNow, "partner-GB", Caller.Partner, "GB", Guid.NewGuid(), "GET", "/api/v1/cases/{id}/status", 200, null, null), admitted: true);
            await log.FlushAsync(CancellationToken.None);
        }
        finally
        {
            await log.StopAsync(CancellationToken.None);
        }

        await using var reader = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(await reader.QuerySingleAsync<long>("SELECT COUNT(*) FROM AccessLog WHERE Subject = 'partner-GB'"), Is.EqualTo(1));
            Assert.That(committedOnPool, Is.Not.Empty.And.All.False, "every commit on the writer's own thread");
            Assert.That(committedOn, Has.All.EqualTo("Access log writer (SQLite)"));
        });
    }

    [Test]
    public async Task The_checkpointers_passes_run_off_the_pool()
    {
        using var database = TemporarySqliteDatabase.CreateMigrated();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var checkpointer = new SqliteCheckpointer(database.Options, clock, NullLogger<SqliteCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (checkpointer.Health.LastPassAt is null)
            {
                if (waited.Elapsed > Patience) Assert.Fail("no pass");
                clock.Advance(TimeSpan.FromMilliseconds(database.Options.SqliteCheckpointIntervalMs));
                await Task.Delay(50);
            }
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }

        Assert.That(checkpointer.LastPassOnPoolThread, Is.False);
    }
}
