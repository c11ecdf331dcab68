using System.Collections.Concurrent;
using System.Data;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>
/// The request sessions' SQLite read connections, kept open between requests with their statements compiled
/// (<see cref="CachedStatementsConnection"/>). Opening a connection from Microsoft.Data.Sqlite's pool ran the service's
/// pragmas (three statements compiled and run) and then compiled the request's own statement again, because closing a
/// pooled connection drops its compiled statements: 15 µs for a conditional status poll's one read, against 7 µs on a
/// connection kept open (issue 20). The last one returned is handed out first, as Microsoft.Data.Sqlite's pool does.
/// </summary>
/// <remarks>
/// A connection comes back only when it is open and outside any transaction; anything else is rolled back and
/// disposed, so no session inherits another's state. At most <see cref="Capacity"/> idle connections are kept (each with its page cache and
/// compiled statements: with SQLite's default cache of 2 MB, at most 64 MB); a request beyond them opens one as before.
/// They stay open for the process's life (no idle pruning): a two-core instance keeps about as many as it had requests in
/// flight at its busiest. SQL Server is not pooled here: SqlClient pools.
/// </remarks>
public sealed class SqliteReaders : IDisposable
{
    /// <summary>Idle connections kept: more than the requests a two-core instance has in flight at saturation.</summary>
    public const int Capacity = 32;

    private readonly ConcurrentStack<CachedStatementsConnection> _idle = new();
    private int _idleCount;
    private int _disposed;

    /// <summary>How many connections are idle (for tests).</summary>
    public int IdleCount => Volatile.Read(ref _idleCount);

    /// <summary>An open connection to <paramref name="options"/>' database, outside any transaction; give it back with <see cref="Return"/>.</summary>
    public async Task<SqliteConnection> RentAsync(DatabaseOptions options, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        while (_idle.TryPop(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            if (idle.OpenedWith == options.ConnectionString && idle.State == ConnectionState.Open) return idle;
            idle.Dispose();
        }

        return await ConnectionFactory.OpenSqliteAsync(new CachedStatementsConnection(options.ConnectionString), options, cancellationToken);
    }

    /// <summary>Keeps <paramref name="connection"/> for the next session when it is reusable as it is; disposes it otherwise.</summary>
    public void Return(SqliteConnection connection)
    {
        if (connection is CachedStatementsConnection reusable && !Disposed && IsIdle(reusable))
        {
            if (Interlocked.Increment(ref _idleCount) <= Capacity)
            {
                _idle.Push(reusable);
                // A dispose that ran between the check and the push would otherwise leave this one open.
                if (Disposed) Drain();
                return;
            }

            Interlocked.Decrement(ref _idleCount);
        }

        ConnectionFactory.CloseSqlite(connection);
    }

    private bool Disposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Open, and inside no transaction at all: not a write one a session left open, and not the read snapshot of a
    /// statement left mid-step or a document's blob handle left open, which would serve the next session stale data
    /// and hold the write-ahead log back from its checkpoints.
    /// </summary>
    private static bool IsIdle(SqliteConnection connection) =>
        connection.State == ConnectionState.Open && SqliteNative.OutsideAnyTransaction(connection);

    private void Drain()
    {
        while (_idle.TryPop(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            idle.Dispose();
        }
    }

    public void Dispose()
    {
        // A full fence: a Return that pushed before this sees the flag after its push, or is drained here.
        Interlocked.Exchange(ref _disposed, 1);
        Drain();
    }
}
