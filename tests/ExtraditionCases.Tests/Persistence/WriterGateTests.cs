using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Infrastructure.Access;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// A command's transaction starts at its first statement (issue 20): the SQLite writer gate is not held while
/// the command computes before it, and every statement after it still commits or rolls back as one.
/// </summary>
public sealed class WriterGateTests
{
    [Test]
    public async Task The_gate_is_taken_by_the_first_statement_not_by_begin_and_released_by_commit()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var session = new DatabaseSession(database.Options, gate);

        await session.BeginAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1), "begin alone leaves the gate to other writers");
            Assert.That(session.Transaction, Is.Null);
        });

        var connection = await session.ConnectionAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(0), "the first statement's connection holds the gate");
            Assert.That(session.Transaction, Is.Not.Null);
        });
        await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (99)", transaction: session.Transaction);
        Assert.That(await session.ConnectionAsync(CancellationToken.None), Is.SameAs(connection), "one connection, one transaction");

        await session.CommitAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
            Assert.That(session.Transaction, Is.Null);
        });
        Assert.That(await Count(database, 99), Is.EqualTo(1));

        // After the scope, statements run outside any transaction and without the gate.
        await session.ConnectionAsync(CancellationToken.None);
        Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Every_statement_after_the_first_rolls_back_with_it()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var session = new DatabaseSession(database.Options, gate);

        await session.BeginAsync(CancellationToken.None);
        var connection = await session.ConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (98)", transaction: session.Transaction);
        connection = await session.ConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (97)", transaction: session.Transaction);
        await session.RollbackAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
            Assert.That(await Count(database, 98) + await Count(database, 97), Is.Zero);
        });
    }

    [Test]
    public async Task A_scope_without_statements_takes_no_gate_and_commits_nothing()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var session = new DatabaseSession(database.Options, gate);

        await session.BeginAsync(CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
        await session.BeginAsync(CancellationToken.None);
        await session.RollbackAsync(CancellationToken.None);

        Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_second_writer_is_not_held_up_by_a_scope_that_has_not_run_a_statement()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var first = new DatabaseSession(database.Options, gate);
        await using var second = new DatabaseSession(database.Options, gate);

        await first.BeginAsync(CancellationToken.None);
        await second.BeginAsync(CancellationToken.None);
        var connection = await second.ConnectionAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (96)", transaction: second.Transaction);
        await second.CommitAsync(CancellationToken.None);

        // The first one's statement now waits for nobody either.
        await (await first.ConnectionAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)))
            .ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (95)", transaction: first.Transaction);
        await first.CommitAsync(CancellationToken.None);

        Assert.That(await Count(database, 96) + await Count(database, 95), Is.EqualTo(2));
    }

    [Test]
    public async Task Every_writer_runs_on_the_gates_one_connection_and_reads_outside_it_on_its_own()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var first = new DatabaseSession(database.Options, gate);
        await using var second = new DatabaseSession(database.Options, gate);

        var firstOwn = await first.ConnectionAsync(CancellationToken.None);
        await first.BeginAsync(CancellationToken.None);
        var firstWriter = await first.ConnectionAsync(CancellationToken.None);
        await firstWriter.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (94)", transaction: first.Transaction);
        await first.CommitAsync(CancellationToken.None);

        await second.BeginAsync(CancellationToken.None);
        var secondWriter = await second.ConnectionAsync(CancellationToken.None);
        await secondWriter.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (93)", transaction: second.Transaction);
        await second.CommitAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            // The connection that wrote last finds the pages it wrote still in its cache (SqliteWriterGate).
            Assert.That(secondWriter, Is.SameAs(firstWriter), "one connection for every write under the gate");
            Assert.That(firstWriter, Is.Not.SameAs(firstOwn), "reads outside the transaction stay on the session's own connection");
            Assert.That(await first.ConnectionAsync(CancellationToken.None), Is.SameAs(firstOwn), "after the scope, the session's own again");
            Assert.That(await Count(database, 94) + await Count(database, 93), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_connection_left_inside_a_transaction_is_not_handed_to_the_next_writer()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();

        await gate.Gate.WaitAsync();
        var broken = await gate.ConnectionAsync(database.Options, CancellationToken.None);
        // As if a failure ended a holder's work between BEGIN and its end: the connection is still in a transaction.
        await broken.ExecuteAsync("BEGIN IMMEDIATE; INSERT INTO GateProbe (Id) VALUES (92);");
        gate.Settle();
        gate.Gate.Release();

        await using var session = new DatabaseSession(database.Options, gate);
        await session.BeginAsync(CancellationToken.None);
        var connection = await session.ConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (91)", transaction: session.Transaction);
        await session.CommitAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(connection, Is.Not.SameAs(broken));
            Assert.That(await Count(database, 92), Is.Zero, "the half-done transaction rolled back with its connection");
            Assert.That(await Count(database, 91), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task The_writers_connection_keeps_a_statement_compiled_across_transactions_with_fresh_parameters_each_time()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var session = new DatabaseSession(database.Options, gate);

        for (var id = 80; id < 83; id++)
        {
            await session.BeginAsync(CancellationToken.None);
            var connection = await session.ConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (@Id)", new { Id = id }, session.Transaction);
            // One command for a list of parameter sets (Dapper's multi-execute), and a list expanded into the text.
            await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (@Id)", new[] { new { Id = id + 10 }, new { Id = id + 20 } }, session.Transaction);
            var seen = await connection.QuerySingleAsync<long>("SELECT COUNT(*) FROM GateProbe WHERE Id IN @Ids",
                new { Ids = new[] { id, id + 10, id + 20 } }, session.Transaction);
            Assert.That(seen, Is.EqualTo(3));
            await session.CommitAsync(CancellationToken.None);
        }

        await gate.Gate.WaitAsync();
        var writer = (CachedStatementsConnection)await gate.ConnectionAsync(database.Options, CancellationToken.None);
        gate.Gate.Release();
        Assert.Multiple(async () =>
        {
            Assert.That(writer.CompiledCount, Is.InRange(1, 4), "the insert kept compiled, not one command per execution");
            foreach (var id in new[] { 80, 81, 82, 90, 91, 92, 100, 101, 102 }) Assert.That(await Count(database, id), Is.EqualTo(1), $"row {id}");
        });
    }

    [Test]
    public async Task A_failed_statement_leaves_the_cached_command_usable_and_the_transaction_rolled_back()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var session = new DatabaseSession(database.Options, gate);

        await session.BeginAsync(CancellationToken.None);
        var connection = await session.ConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (@Id)", new { Id = 79 }, session.Transaction);
        Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() =>
            connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (@Id)", new { Id = 79 }, session.Transaction));
        await session.RollbackAsync(CancellationToken.None);

        await session.BeginAsync(CancellationToken.None);
        connection = await session.ConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (@Id)", new { Id = 78 }, session.Transaction);
        await session.CommitAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(await Count(database, 79), Is.Zero);
            Assert.That(await Count(database, 78), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Writes_waiting_for_the_gate_share_one_commit_and_none_is_acknowledged_before_it()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var first = new DatabaseSession(database.Options, gate);
        await InsertAsync(first, 70);

        var lastMayCommit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = new List<Task>();
        foreach (var id in new[] { 71, 72, 73 })
        {
            queued.Add(WriteAsync(database, gate, id, id == 73 ? lastMayCommit.Task : Task.CompletedTask));
            await UntilAsync(() => gate.WritesWaiting == queued.Count);
        }

        var commitsBefore = gate.GroupCommits;
        var firstCommit = first.CommitAsync(CancellationToken.None);
        // The last write holds the gate with its row written and its commit not yet made.
        await UntilAsync(() => gate.WritesWaiting == 0 && gate.Gate.CurrentCount == 0 && queued[0].IsCompleted == false);
        await Task.Delay(50);
        Assert.Multiple(async () =>
        {
            Assert.That(firstCommit.IsCompleted, Is.False, "the first write waits for the commit that carries it");
            Assert.That(queued.Any(t => t.IsCompleted), Is.False, "so do the two after it");
            Assert.That(await Count(database, 70) + await Count(database, 71) + await Count(database, 72), Is.Zero, "nothing is visible before the commit");
        });

        lastMayCommit.SetResult();
        await firstCommit;
        await Task.WhenAll(queued);
        Assert.Multiple(async () =>
        {
            Assert.That(gate.GroupCommits - commitsBefore, Is.EqualTo(1), "four writes, one commit");
            foreach (var id in new[] { 70, 71, 72, 73 }) Assert.That(await Count(database, id), Is.EqualTo(1), $"row {id}");
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_write_that_fails_in_a_group_rolls_back_alone()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var first = new DatabaseSession(database.Options, gate);
        await InsertAsync(first, 60);

        var failing = Task.Run(async () =>
        {
            await using var session = new DatabaseSession(database.Options, gate);
            await InsertAsync(session, 61);
            try
            {
                await InsertAsync(session, 60); // the first write's key: a constraint error, the statement alone aborted
                Assert.Fail("the duplicate key was accepted");
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                await session.RollbackAsync(CancellationToken.None);
            }
        });
        await UntilAsync(() => gate.WritesWaiting == 1);
        var last = WriteAsync(database, gate, 62, Task.CompletedTask);
        await UntilAsync(() => gate.WritesWaiting == 2);

        var commitsBefore = gate.GroupCommits;
        await first.CommitAsync(CancellationToken.None);
        await Task.WhenAll(failing, last);
        Assert.Multiple(async () =>
        {
            Assert.That(gate.GroupCommits - commitsBefore, Is.EqualTo(1));
            Assert.That(await Count(database, 60), Is.EqualTo(1));
            Assert.That(await Count(database, 61), Is.Zero, "the failed write's earlier row went with it");
            Assert.That(await Count(database, 62), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task When_SQLite_rolls_back_the_group_no_write_in_it_is_acknowledged_and_the_next_write_starts_afresh()
    {
        // As an I/O error or a full disk does: SQLite ends the whole transaction, not only the statement.
        using var database = await ProbeDatabaseAsync("CREATE TABLE GateDoom (Id INTEGER NOT NULL); " +
            "CREATE TRIGGER GateDoom_RollsBack BEFORE INSERT ON GateDoom BEGIN SELECT RAISE(ROLLBACK, 'doomed'); END;");
        using var gate = new SqliteWriterGate();
        await using var first = new DatabaseSession(database.Options, gate);
        await InsertAsync(first, 50);
        var doomed = OnASessionAsync(database, gate, (session, connection) =>
        {
            Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() =>
                connection.ExecuteAsync("INSERT INTO GateDoom (Id) VALUES (1)", transaction: session.Transaction));
            Assert.ThrowsAsync<InvalidOperationException>(() => session.RollbackAsync(CancellationToken.None), "its group failed with it");
            return Task.CompletedTask;
        });
        await UntilAsync(() => gate.WritesWaiting == 1);

        Assert.ThrowsAsync<InvalidOperationException>(() => first.CommitAsync(CancellationToken.None), "its group was rolled back");
        await doomed;
        await using var next = new DatabaseSession(database.Options, gate);
        await InsertAsync(next, 51);
        await next.CommitAsync(CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(await Count(database, 50), Is.Zero);
            Assert.That(await Count(database, 51), Is.EqualTo(1));
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task When_the_group_commit_fails_every_write_in_it_fails_and_nothing_is_stored()
    {
        // A constraint checked only at COMMIT: the commit itself fails, as a disk that fails its fsync makes it.
        using var database = await ProbeDatabaseAsync("CREATE TABLE GateParent (Id INTEGER NOT NULL PRIMARY KEY); " +
            "CREATE TABLE GateChild (ParentId INTEGER NOT NULL REFERENCES GateParent (Id) DEFERRABLE INITIALLY DEFERRED);");
        using var gate = new SqliteWriterGate();
        await using var first = new DatabaseSession(database.Options, gate);
        await InsertAsync(first, 10);
        var orphan = OnASessionAsync(database, gate, async (session, connection) =>
        {
            await connection.ExecuteAsync("INSERT INTO GateChild (ParentId) VALUES (404)", transaction: session.Transaction);
            await session.CommitAsync(CancellationToken.None);
        });
        await UntilAsync(() => gate.WritesWaiting == 1);

        Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => first.CommitAsync(CancellationToken.None), "its group's commit failed");
        Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => orphan);
        await using var next = new DatabaseSession(database.Options, gate);
        await InsertAsync(next, 11);
        await next.CommitAsync(CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(await Count(database, 10), Is.Zero);
            Assert.That(await Count(database, 11), Is.EqualTo(1), "the gate and its connection serve the next write");
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task When_SQLite_rolls_back_at_commit_no_write_in_the_group_is_acknowledged_and_the_next_write_starts_afresh()
    {
        // A commit hook that refuses turns the COMMIT into a ROLLBACK, as an fsync that fails does: unlike a deferred
        // constraint, the transaction is already gone when the COMMIT fails, and nothing is left to roll back.
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var first = new DatabaseSession(database.Options, gate);
        await InsertAsync(first, 30);
        var refusals = 0;
        var writers = (Microsoft.Data.Sqlite.SqliteConnection)await first.ConnectionAsync(CancellationToken.None);
        SQLitePCL.raw.sqlite3_commit_hook(writers.Handle, _ => Interlocked.Increment(ref refusals) == 1 ? 1 : 0, null);
        var second = WriteAsync(database, gate, 31, Task.CompletedTask);
        await UntilAsync(() => gate.WritesWaiting == 1);

        Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => first.CommitAsync(CancellationToken.None), "its group's commit failed");
        Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => second, "so did the write that joined it");
        await using var next = new DatabaseSession(database.Options, gate);
        await InsertAsync(next, 32);
        await next.CommitAsync(CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(Volatile.Read(ref refusals), Is.GreaterThanOrEqualTo(1), "the hook saw the group's COMMIT");
            Assert.That(await Count(database, 30) + await Count(database, 31), Is.Zero, "nothing of the group is stored");
            Assert.That(await Count(database, 32), Is.EqualTo(1), "the gate serves the next write");
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_batch_commits_the_open_group_before_it_and_is_never_left_open()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var first = new DatabaseSession(database.Options, gate);
        await InsertAsync(first, 5);

        var batchMayCommit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batch = Task.Run(async () =>
        {
            await using var session = new DatabaseSession(database.Options, gate);
            await session.BeginBatchAsync(CancellationToken.None);
            var connection = await session.ConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (6)", transaction: session.Transaction);
            await batchMayCommit.Task;
            await session.CommitAsync(CancellationToken.None);
        });
        await UntilAsync(() => gate.Gate.CurrentCount == 0 && batch.IsCompleted == false);
        await Task.Delay(20);
        var commitsBefore = gate.GroupCommits;
        var firstCommit = first.CommitAsync(CancellationToken.None);
        // Not left open for the batch (it would not join): the first write does not wait for the batch's length.
        Assert.That(gate.GroupCommits - commitsBefore, Is.EqualTo(1), "committed as it ended");
        await firstCommit.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(await Count(database, 5), Is.EqualTo(1));

        var after = WriteAsync(database, gate, 7, Task.CompletedTask);
        await UntilAsync(() => gate.WritesWaiting == 1);
        batchMayCommit.SetResult();
        await Task.WhenAll(batch, after);
        Assert.Multiple(async () =>
        {
            Assert.That(gate.GroupCommits - commitsBefore, Is.EqualTo(3), "the first write, the batch, the write after it: each its own commit");
            Assert.That(await Count(database, 6) + await Count(database, 7), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_holder_writing_on_its_own_commits_the_open_group_first()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var first = new DatabaseSession(database.Options, gate);
        await InsertAsync(first, 40);

        // The access log's writer waits first, a session's write after it: the group is left open for the write,
        // and the writer that takes the gate first commits it.
        var writerHolds = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writerMayGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writerQueued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ownWriter = Task.Run(async () =>
        {
            // WaitAsync queues the waiter before it returns, so the signal means the writer is first in line.
            var turn = gate.Gate.WaitAsync();
            writerQueued.SetResult();
            await turn;
            try
            {
                var connection = await gate.ConnectionAsync(database.Options, CancellationToken.None);
                using var transaction = connection.BeginTransaction(deferred: false);
                await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (41)", transaction: transaction);
                transaction.Commit();
                writerHolds.SetResult();
                await writerMayGo.Task;
            }
            finally
            {
                gate.Settle();
                gate.Gate.Release();
            }
        });
        await writerQueued.Task;
        var second = WriteAsync(database, gate, 42, Task.CompletedTask);
        await UntilAsync(() => gate.WritesWaiting == 1);

        var commitsBefore = gate.GroupCommits;
        var firstCommit = first.CommitAsync(CancellationToken.None);
        await writerHolds.Task;
        await firstCommit.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Multiple(async () =>
        {
            Assert.That(gate.GroupCommits - commitsBefore, Is.EqualTo(1), "the writer committed the open group");
            Assert.That(second.IsCompleted, Is.False, "the write the group was left open for still waits behind the writer");
            Assert.That(await Count(database, 40), Is.EqualTo(1), "committed by the writer's connection before its own transaction");
        });
        writerMayGo.SetResult();
        await Task.WhenAll(ownWriter, second);
        Assert.Multiple(async () =>
        {
            Assert.That(await Count(database, 41), Is.EqualTo(1));
            Assert.That(await Count(database, 42), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task An_access_log_batch_waiting_for_the_gate_joins_the_open_group_and_shares_its_commit()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        await using var first = new DatabaseSession(database.Options, gate);
        await InsertAsync(first, 80);
        // Every COMMIT on the writers' connection, whoever runs it: a batch committing a transaction of its own is counted too.
        var commitsMade = 0;
        var writers = (Microsoft.Data.Sqlite.SqliteConnection)await first.ConnectionAsync(CancellationToken.None);
        SQLitePCL.raw.sqlite3_commit_hook(writers.Handle, _ =>
        {
            Interlocked.Increment(ref commitsMade);
            return 0;
        }, null);

        var log = new AccessLog(database.Options, gate, NullLogger<AccessLog>.Instance);
        await log.StartAsync(CancellationToken.None);
        long commits;
        try
        {
            Assert.That(log.TryAdmit(), Is.True);
            log.Record(new AccessEntry(DateTimeOffset.UtcNow, "partner-GB", Caller.Partner, "GB", Guid.NewGuid(), "GET", "/api/v1/cases/{id}/status", 200, null, null), admitted: true);
            // The batch waits for the gate as a write of the group does, so the session's write is left open for it.
            await UntilAsync(() => gate.WritesWaiting == 1);
            var commitsBefore = gate.GroupCommits;
            await first.CommitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            await log.FlushAsync(CancellationToken.None);
            commits = gate.GroupCommits - commitsBefore;
        }
        finally
        {
            // Ends the session's write first if an assertion stopped the test before it did, so the batch gets the gate.
            await first.DisposeAsync();
            await log.StopAsync(CancellationToken.None);
        }

        await using var reader = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(commits, Is.EqualTo(1), "the session's write and the access log's batch, one commit");
            Assert.That(Volatile.Read(ref commitsMade), Is.EqualTo(1), "and no other COMMIT on the writers' connection");
            Assert.That(await Count(database, 80), Is.EqualTo(1));
            Assert.That(await reader.QuerySingleAsync<long>("SELECT COUNT(*) FROM AccessLog WHERE Subject = 'partner-GB'"), Is.EqualTo(1));
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
        });
    }

    [Test]
    public Task An_access_log_batch_that_fails_in_a_group_rolls_back_alone_and_is_stored_once_on_its_retry() =>
        // RAISE(ABORT): the batch's statement fails and the batch rolls back to its savepoint; the session's write stays.
        WithAFailingAccessLogBatchAsync("ABORT", 90, async (database, gate, first, log) =>
        {
            var commitsBefore = gate.GroupCommits;
            await first.CommitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            await UntilAsync(() => log.Failing);
            Assert.Multiple(async () =>
            {
                Assert.That(gate.GroupCommits - commitsBefore, Is.EqualTo(1), "the group committed without the batch");
                Assert.That(await Count(database, 90), Is.EqualTo(1), "the session's write is stored and was acknowledged");
                Assert.That(await AccessEntries(database, "partner-GB-90"), Is.Zero);
                Assert.That(log.TryAdmit(), Is.False, "while the batch cannot be stored, requests are refused");
            });
        });

    [Test]
    public Task When_an_access_log_batch_fails_its_whole_group_the_sessions_write_is_not_acknowledged_and_the_batch_is_stored_once() =>
        // RAISE(ROLLBACK), as an I/O error or a full disk does: SQLite ends the group's transaction, the session's write with it.
        WithAFailingAccessLogBatchAsync("ROLLBACK", 91, async (database, _, first, log) =>
        {
            Assert.ThrowsAsync<InvalidOperationException>(() => first.CommitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)),
                "its group was rolled back by the batch's failure");
            await UntilAsync(() => log.Failing);
            Assert.That(await Count(database, 91), Is.Zero, "nothing of the failed group is stored");
        });

    /// <summary>
    /// A session's write (row <paramref name="id"/>) holds the gate while an access-log batch whose inserts fail with
    /// RAISE(<paramref name="how"/>) waits to join its group; <paramref name="act"/> commits the session and checks the
    /// failure; then inserts are allowed again, and the batch must be stored exactly once by its retry.
    /// </summary>
    private static async Task WithAFailingAccessLogBatchAsync(
        string how, int id, Func<TemporarySqliteDatabase, SqliteWriterGate, DatabaseSession, AccessLog, Task> act)
    {
        using var database = await ProbeDatabaseAsync(RefuseAccessLogInserts(how));
        using var gate = new SqliteWriterGate();
        await using var first = new DatabaseSession(database.Options, gate);
        await InsertAsync(first, id);
        var log = new AccessLog(database.Options, gate, NullLogger<AccessLog>.Instance);
        await log.StartAsync(CancellationToken.None);
        var subject = $"partner-GB-{id}";
        try
        {
            RecordOne(log, subject);
            await UntilAsync(() => gate.WritesWaiting == 1);
            await act(database, gate, first, log);
            await AllowAccessLogInserts(database);
            await UntilAsync(() => !log.Failing && log.Pending == 0);
        }
        finally
        {
            await first.DisposeAsync();
            await log.StopAsync(CancellationToken.None);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await AccessEntries(database, subject), Is.EqualTo(1), "the batch is retried whole and stored once");
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
        });
    }

    /// <summary>A trigger that makes every access-log insert fail with RAISE(<paramref name="how"/>) while AccessLogRefused has a row.</summary>
    private static string RefuseAccessLogInserts(string how) =>
        "CREATE TABLE AccessLogRefused (Id INTEGER NOT NULL); INSERT INTO AccessLogRefused (Id) VALUES (1); " +
        $"CREATE TRIGGER AccessLog_Refused BEFORE INSERT ON AccessLog WHEN EXISTS (SELECT 1 FROM AccessLogRefused) BEGIN SELECT RAISE({how}, 'refused'); END;";

    private static async Task AllowAccessLogInserts(TemporarySqliteDatabase database)
    {
        await using var connection = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM AccessLogRefused");
    }

    private static void RecordOne(AccessLog log, string subject)
    {
        Assert.That(log.TryAdmit(), Is.True);
        log.Record(new AccessEntry(DateTimeOffset.UtcNow, subject, Caller.Partner, "GB", Guid.NewGuid(), "GET", "/api/v1/cases/{id}/status", 200, null, null), admitted: true);
    }

    private static async Task<long> AccessEntries(TemporarySqliteDatabase database, string subject)
    {
        await using var connection = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        return await connection.QuerySingleAsync<long>("SELECT COUNT(*) FROM AccessLog WHERE Subject = @Subject", new { Subject = subject });
    }

    [Test]
    public async Task A_group_left_open_for_a_write_that_never_comes_is_committed_by_its_own_write_after_its_patience()
    {
        using var database = await ProbeDatabaseAsync();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var gate = new SqliteWriterGate(time: time);
        await using var first = new DatabaseSession(database.Options, gate);
        await InsertAsync(first, 30);

        gate.CountWaitingWrite(+1); // a write counted as waiting whose request gives up before it takes the gate
        var commitsBefore = gate.GroupCommits;
        var commit = first.CommitAsync(CancellationToken.None);
        Assert.That(gate.GroupCommits, Is.EqualTo(commitsBefore), "left open for the write counted as waiting, not committed");
        await Task.Delay(50);
        Assert.That(commit.IsCompleted, Is.False, "waiting for its group's commit");
        gate.CountWaitingWrite(-1);

        time.Advance(SqliteWriterGate.GroupPatience);
        await commit.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Multiple(async () =>
        {
            Assert.That(await Count(database, 30), Is.EqualTo(1));
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task With_one_write_a_commit_every_write_commits_on_its_own()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate(groupWrites: 1);
        await using var first = new DatabaseSession(database.Options, gate);
        await InsertAsync(first, 20);
        var second = WriteAsync(database, gate, 21, Task.CompletedTask);
        await UntilAsync(() => gate.WritesWaiting == 1);

        var commitsBefore = gate.GroupCommits;
        await first.CommitAsync(CancellationToken.None);
        await second;
        Assert.Multiple(async () =>
        {
            Assert.That(gate.GroupCommits - commitsBefore, Is.EqualTo(2));
            Assert.That(await Count(database, 20) + await Count(database, 21), Is.EqualTo(2));
        });
    }

    private static async Task InsertAsync(DatabaseSession session, int id)
    {
        if (session.Transaction is null) await session.BeginAsync(CancellationToken.None);
        var connection = await session.ConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (@Id)", new { Id = id }, session.Transaction);
    }

    /// <summary>A session's whole write on the pool: begin, insert (waiting for the gate), then commit once <paramref name="mayCommit"/>.</summary>
    private static Task WriteAsync(TemporarySqliteDatabase database, SqliteWriterGate gate, int id, Task mayCommit) => Task.Run(async () =>
    {
        await using var session = new DatabaseSession(database.Options, gate);
        await InsertAsync(session, id);
        await mayCommit;
        await session.CommitAsync(CancellationToken.None);
    });

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++) await Task.Delay(5);
        Assert.That(condition(), Is.True, "the writers did not reach the expected point");
    }

    private static async Task<TemporarySqliteDatabase> ProbeDatabaseAsync(string? moreSchema = null)
    {
        var database = TemporarySqliteDatabase.CreateMigrated();
        await using var connection = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        await connection.ExecuteAsync("CREATE TABLE GateProbe (Id INTEGER NOT NULL PRIMARY KEY)");
        if (moreSchema is not null) await connection.ExecuteAsync(moreSchema);
        return database;
    }

    /// <summary>Another session's write on the pool: begun, its connection taken (waiting for the gate), then <paramref name="work"/>.</summary>
    private static Task OnASessionAsync(TemporarySqliteDatabase database, SqliteWriterGate gate, Func<DatabaseSession, System.Data.Common.DbConnection, Task> work) =>
        Task.Run(async () =>
        {
            await using var session = new DatabaseSession(database.Options, gate);
            await session.BeginAsync(CancellationToken.None);
            await work(session, await session.ConnectionAsync(CancellationToken.None));
        });

    private static async Task<long> Count(TemporarySqliteDatabase database, int id)
    {
        await using var connection = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        return await connection.QuerySingleAsync<long>("SELECT COUNT(*) FROM GateProbe WHERE Id = @Id", new { Id = id });
    }
}
