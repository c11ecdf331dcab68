using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>
/// SQLite allows one writer at a time. Without this gate, concurrent writers collide on the file lock
/// and Microsoft.Data.Sqlite retries by sleeping 150 ms, which wrecks tail latency; with it, writers
/// queue in memory and each transaction finds the lock free.
/// </summary>
/// <remarks>
/// <para>
/// Every write under the gate runs on the gate's one connection (<see cref="ConnectionAsync"/>), not on the
/// request's pooled one. SQLite drops a connection's whole page cache when it starts a transaction and sees
/// that another connection wrote since its last one; with each request writing on its own pooled connection,
/// every transaction began with a cold cache and re-read the B-tree pages its statements walk (the search
/// terms', the feed's, the leaves'). One connection for all writes finds them cached: it wrote them last (issue 20).
/// </para>
/// <para>
/// <b>Group commit.</b> With <c>synchronous = FULL</c> every commit waits for an <c>fsync</c>, and writers commit one
/// after another, so a disk that takes 100 ms over one <c>fsync</c> holds every queued write for it in turn. A
/// database session's write (<see cref="EnterWriteAsync"/>) therefore runs inside a savepoint of a group transaction:
/// when it ends and another session's write is already waiting for the gate, it releases its savepoint (or rolls back
/// to it, if it failed), leaves the group open and hands the gate on; the group's last write commits it, once, for all
/// of them. Each write is still all or nothing (its savepoint), and none is acknowledged before the commit that makes
/// it durable: a write in a group waits for that commit, and fails with it. SQL Server groups its log flushes itself.
/// </para>
/// <para>
/// The access log's batches are writes of the group like a session's (AccessLog). Holders that write on their own (the
/// checkpoint publisher) take <see cref="Gate"/> directly; their <see cref="ConnectionAsync"/> first commits any group
/// left open.
/// </para>
/// </remarks>
public sealed class SqliteWriterGate : IDisposable
{
    private const string Savepoint = "gate_write";

    /// <summary>
    /// How long a write left in an open group waits for the group's commit before it takes the gate and commits the
    /// group itself: the writer it was left open for may have given up waiting (a cancelled request).
    /// </summary>
    internal static readonly TimeSpan GroupPatience = TimeSpan.FromMilliseconds(50);

    private readonly int _groupWrites;
    private readonly TimeProvider _time;
    private SqliteConnection? _connection;
    private string? _connectionString;
    private bool _disposed;

    // Writes of the group waiting for the gate (or about to: sessions', the access log's batches); a write that ends
    // leaves its group open only for them.
    private int _writesWaiting;

    // The group transaction, open between writes. Only the holder of the gate reads or changes it.
    private Group? _group;
    private long _commits;

    /// <param name="groupWrites">Writes one commit may carry at most (<see cref="DatabaseOptions.SqliteGroupCommitWrites"/>); 1 commits each on its own.</param>
    /// <param name="time">
    /// For <see cref="GroupPatience"/> only; the service passes the system clock, so that a test host's frozen clock
    /// cannot hold a write back.
    /// </param>
    public SqliteWriterGate(int groupWrites = DatabaseOptions.DefaultSqliteGroupCommitWrites, TimeProvider? time = null)
    {
        if (groupWrites < 1) throw new ArgumentOutOfRangeException(nameof(groupWrites), groupWrites, "Database:SqliteGroupCommitWrites must be at least 1.");
        _groupWrites = groupWrites;
        _time = time ?? TimeProvider.System;
    }

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Transactions committed on the gate's connection by session writes (groups), for tests and benchmarks.</summary>
    public long GroupCommits => Interlocked.Read(ref _commits);

    /// <summary>Session writes waiting for the gate (tests).</summary>
    internal int WritesWaiting => Volatile.Read(ref _writesWaiting);

    /// <summary>Counts a write as waiting that never arrives, as a cancelled request's does in a narrow race (tests).</summary>
    internal void CountWaitingWrite(int delta) => Interlocked.Add(ref _writesWaiting, delta);

    /// <summary>
    /// The writers' connection, opened on first use, for a holder of <see cref="Gate"/> that writes on its own (the
    /// checkpoint publisher): a group left open is committed first (<see cref="CloseOpenGroup"/>),
    /// so the holder's own transaction can begin on it.
    /// </summary>
    public Task<SqliteConnection> ConnectionAsync(DatabaseOptions options, CancellationToken cancellationToken)
    {
        CloseOpenGroup();
        Settle();
        return OpenAsync(options, cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(DatabaseOptions options, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is not null && _connectionString == options.ConnectionString) return _connection;
        CloseOpenGroup();
        Discard();
        _connection = await ConnectionFactory.OpenSqliteAsync(new CachedStatementsConnection(options.ConnectionString), options, cancellationToken);
        _connectionString = options.ConnectionString;
        return _connection;
    }

    /// <summary>
    /// A database session's write: takes the gate, joins the open group (or begins one with BEGIN IMMEDIATE) and opens
    /// the write's savepoint. Returns the group's transaction, for the write's statements. The write ends with
    /// <see cref="LeaveWriteAsync"/>, which releases the gate. A write <paramref name="alone"/> (a background batch, a
    /// large access-log batch) commits an open group first and is never left open itself, so no write waits for its
    /// acknowledgement behind it.
    /// </summary>
    internal async Task<SqliteTransaction> EnterWriteAsync(DatabaseOptions options, bool alone, CancellationToken cancellationToken)
    {
        // A write alone is not counted: it would not join a group left open for it.
        var counted = !alone;
        if (counted) Interlocked.Increment(ref _writesWaiting);
        try
        {
            await Gate.WaitAsync(cancellationToken);
        }
        finally
        {
            if (counted) Interlocked.Decrement(ref _writesWaiting);
        }

        try
        {
            if (alone)
            {
                CloseOpenGroup();
                Settle();
            }

            var connection = await OpenAsync(options, cancellationToken);
            _group ??= new Group(connection.BeginTransaction(deferred: false), alone);
            _group.Transaction.Save(Savepoint);
            _group.Writes++;
            return _group.Transaction;
        }
        catch
        {
            // No savepoint of this write is open: what the group's earlier writes released is intact, and committed.
            try
            {
                CloseOpenGroup();
                Settle();
            }
            finally
            {
                Gate.Release();
            }

            throw;
        }
    }

    /// <summary>
    /// Ends the holder's write: releases its savepoint (<paramref name="succeeded"/>) or rolls back to it, then either
    /// leaves the group open for a write already waiting or commits it, and releases the gate. Returns once the group's
    /// commit is durable, and throws if it failed. A failed write waits for it too: its refusal may rest on what earlier
    /// writes of the group wrote, which is only true once they commit.
    /// </summary>
    internal async Task LeaveWriteAsync(bool succeeded)
    {
        if (_group is not { } group)
        {
            // Disposed under the holder (a shutdown): the connection and its transaction are gone.
            Settle();
            Gate.Release();
            throw new ObjectDisposedException(nameof(SqliteWriterGate), "The writer gate was disposed before the write ended.");
        }

        var leftOpen = false;
        try
        {
            if (succeeded) group.Transaction.Release(Savepoint);
            else
            {
                group.Transaction.Rollback(Savepoint);
                group.Transaction.Release(Savepoint);
            }

            // A statement error SQLite answers by rolling back the whole transaction (disk full, I/O) takes the
            // group's earlier writes with it: they must not be acknowledged.
            if (!InsideTransaction()) throw new InvalidOperationException("SQLite rolled back the group transaction.");

            // Another write is waiting: it joins this group, and the last of them commits it.
            leftOpen = !group.Alone && group.Writes < _groupWrites && Volatile.Read(ref _writesWaiting) > 0;
            if (!leftOpen) CommitGroup(group);
        }
        catch (Exception ex)
        {
            FailGroup(group, ex);
        }
        finally
        {
            try
            {
                if (!leftOpen) Settle();
            }
            finally
            {
                Gate.Release();
            }
        }

        await AwaitCommitAsync(group);
    }

    /// <summary>
    /// For a holder of <see cref="Gate"/> that writes on its own (not through a session): commits the writes of a group
    /// left open, so that its own transaction can begin. Their sessions are waiting for this commit.
    /// </summary>
    public void CloseOpenGroup()
    {
        if (_group is { } group) CommitGroup(group);
    }

    private async Task AwaitCommitAsync(Group group)
    {
        while (!group.Committed.Task.IsCompleted)
        {
            await Task.WhenAny(group.Committed.Task, Task.Delay(GroupPatience, _time));
            if (group.Committed.Task.IsCompleted) break;
            // The write the group was left open for never came (its request gave up waiting): commit it here. The gate
            // is awaited only until the group's outcome: a commit under way (a slow fsync) or a holder that commits the
            // group before its own work (a batch, the access log) ends the wait, not the holder's release of the gate.
            using var outcome = new CancellationTokenSource();
            var turn = Gate.WaitAsync(outcome.Token);
            if (await Task.WhenAny(turn, group.Committed.Task) != turn)
            {
                await outcome.CancelAsync();
                try
                {
                    await turn;
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                // The gate came at the same moment as the outcome: hand it on.
                Gate.Release();
                break;
            }

            try
            {
                CloseOpenGroup();
                // Never the case by design; if it were, waiting on would never end.
                group.Committed.TrySetException(new InvalidOperationException("The write's group transaction ended without an outcome."));
                Settle();
            }
            finally
            {
                Gate.Release();
            }
        }

        await group.Committed.Task;
    }

    /// <summary>Commits the group and tells its writes the outcome; never throws, so its caller always releases the gate.</summary>
    private void CommitGroup(Group group)
    {
        _group = null;
        Exception? failure = null;
        try
        {
            group.Transaction.Commit();
            Interlocked.Increment(ref _commits);
        }
        catch (Exception ex)
        {
            failure = ex;
            RollBack(group);
        }

        End(group);
        if (failure is null) group.Committed.TrySetResult();
        else group.Committed.TrySetException(failure);
    }

    private void FailGroup(Group group, Exception cause)
    {
        _group = null;
        group.Committed.TrySetException(new InvalidOperationException("The write's group transaction failed before it committed; nothing in it was stored.", cause));
        RollBack(group);
        End(group);
    }

    // After a failed commit SQLite may already have rolled back (an I/O error) or not (a constraint checked at commit).
    // Settle discards a connection left inside a transaction either way.
    private void RollBack(Group group)
    {
        try
        {
            if (InsideTransaction()) group.Transaction.Rollback();
        }
        catch (Exception)
        {
            // Settle discards the connection.
        }
    }

    private static void End(Group group)
    {
        try
        {
            group.Transaction.Dispose();
        }
        catch (Exception)
        {
            // Disposing runs ROLLBACK, which fails when SQLite already ended the transaction: nothing is left to undo.
        }
    }

    private bool InsideTransaction() =>
        _connection is { State: System.Data.ConnectionState.Open } connection && !SqliteNative.OutsideAnyTransaction(connection);

    /// <summary>
    /// For the holder of <see cref="Gate"/>, after its transaction ended and before it releases the gate: a
    /// connection that a failure left closed or still inside a transaction is dropped, so the next writer opens a
    /// fresh one rather than inheriting a half-done transaction. A group left open between writes is not such a
    /// transaction.
    /// </summary>
    public void Settle()
    {
        if (_connection is null || _group is not null) return;
        // Inside any transaction, read or write, after the holder's own ended: a failure left it, or a reader left open.
        if (_connection.State != System.Data.ConnectionState.Open || !SqliteNative.OutsideAnyTransaction(_connection)) Discard();
    }

    private void Discard()
    {
        if (_connection is not null) ConnectionFactory.CloseSqlite(_connection);
        _connection = null;
        _connectionString = null;
    }

    public void Dispose()
    {
        if (_disposed) return;
        // A writer still inside the gate (a shutdown racing a last write) keeps its connection until it is done.
        var held = Gate.Wait(TimeSpan.FromSeconds(5));
        _disposed = true;
        // Writes left in an open group are complete and waiting for their commit. Without the gate, the connection is
        // closed under its holder (which rolls the group back), and the group's writes are told so.
        if (held) CloseOpenGroup();
        else if (_group is { } group)
        {
            _group = null;
            group.Committed.TrySetException(new ObjectDisposedException(nameof(SqliteWriterGate), "The writer gate was disposed before the group committed."));
        }

        Discard();
        if (held) Gate.Release();
    }

    private sealed class Group(SqliteTransaction transaction, bool alone)
    {
        public SqliteTransaction Transaction { get; } = transaction;

        /// <summary>A background batch's: committed when its write ends, never left open.</summary>
        public bool Alone { get; } = alone;

        public int Writes { get; set; }

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
