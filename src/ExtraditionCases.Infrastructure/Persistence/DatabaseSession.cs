using System.Data.Common;
using Dapper;
using ExtraditionCases.Application.Abstractions;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>The request's connection and, for commands, its one transaction.</summary>
/// <param name="readers">
/// SQLite's kept-open read connections: the session rents one for its reads and gives it back when disposed. Without
/// it (sessions made outside the container) each session opens its own from Microsoft.Data.Sqlite's pool.
/// </param>
public sealed partial class DatabaseSession(
    DatabaseOptions options, SqliteWriterGate writerGate, SqliteReaders? readers = null, ILogger<DatabaseSession>? logger = null)
    : IDatabaseSession, IAsyncDisposable
{
    private DbConnection? _connection;
    private DbConnection? _transactionConnection;
    private bool _transactionWanted;

    // SQLite: this session's write is open on the writer gate (a savepoint of its group transaction).
    private bool _inGroup;

    // The scope is a background batch (BeginBatchAsync): on SQLite it commits on its own.
    private bool _batch;

    public DbTransaction? Transaction { get; private set; }

    public DatabaseProvider Provider => options.Provider;

    /// <summary>The text of <paramref name="statement"/> in this database's dialect.</summary>
    public string TextOf(SqlStatement statement) => Provider == DatabaseProvider.SqlServer ? statement.SqlServer : statement.Sqlite;

    public async Task<IReadOnlyList<T>> QueryAsync<T>(SqlStatement statement, object? parameters, CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<T>(Command(statement, parameters, cancellationToken))).AsList();
    }

    public async Task<T?> QuerySingleOrDefaultAsync<T>(SqlStatement statement, object? parameters, CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<T>(Command(statement, parameters, cancellationToken));
    }

    public async Task<int> ExecuteAsync(SqlStatement statement, object? parameters, CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(Command(statement, parameters, cancellationToken));
    }

    public async Task StreamAsync(SqlStatement statement, object? parameters, Action<IStreamedRow> onRow, CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken);
        if (connection is SqliteConnection sqlite) StreamedReads.Sqlite(sqlite, TextOf(statement), parameters, onRow, cancellationToken);
        else await StreamedReads.SqlServerAsync((SqlConnection)connection, (SqlTransaction?)Transaction, TextOf(statement), parameters, onRow, cancellationToken);
    }

    private CommandDefinition Command(SqlStatement statement, object? parameters, CancellationToken cancellationToken) =>
        new(TextOf(statement), parameters, Transaction, cancellationToken: cancellationToken);

    /// <summary>
    /// The connection for the next statement. Inside a command's transaction scope, the first statement's call
    /// starts the transaction, so everything a command does before its first statement runs outside the writer
    /// gate; until the scope ends every statement gets the transaction's connection (on SQLite the writer gate's,
    /// see <see cref="SqliteWriterGate"/>), outside it the session's own.
    /// </summary>
    public async Task<DbConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_transactionWanted && Transaction is null) await StartTransactionAsync(cancellationToken);
        if (_transactionConnection is not null) return _transactionConnection;
        return _connection ??= readers is not null && Provider == DatabaseProvider.Sqlite
            ? await readers.RentAsync(options, cancellationToken)
            : await ConnectionFactory.OpenAsync(options, cancellationToken);
    }

    /// <summary>
    /// Opens the command's transaction scope. The transaction itself (on SQLite: the writer gate and BEGIN
    /// IMMEDIATE) starts at the scope's first statement (<see cref="ConnectionAsync"/>): a write's checks,
    /// workflow step, event hash and JSON are computed in C# before it, not while other writers wait (issue 20).
    /// Every statement of the scope still runs in that one transaction, which commits or rolls back as a whole.
    /// </summary>
    public Task BeginAsync(CancellationToken cancellationToken)
    {
        if (_transactionWanted || Transaction is not null) throw new InvalidOperationException("A transaction is already open on this session.");
        _transactionWanted = true;
        _batch = false;
        return Task.CompletedTask;
    }

    public async Task BeginBatchAsync(CancellationToken cancellationToken)
    {
        await BeginAsync(cancellationToken);
        _batch = true;
    }

    private async Task StartTransactionAsync(CancellationToken cancellationToken)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            // The gate, then a savepoint in the group transaction (begun with BEGIN IMMEDIATE, which takes the write lock
            // up front): the write commits with the writes around it, once (group commit, SqliteWriterGate).
            var group = await writerGate.EnterWriteAsync(options, alone: _batch, cancellationToken);
            _inGroup = true;
            Transaction = group;
            _transactionConnection = group.Connection;
            return;
        }

        // SQL Server: read committed with optimistic version checks on every update (READ_COMMITTED_SNAPSHOT is recommended).
        _connection ??= await ConnectionFactory.OpenAsync(options, cancellationToken);
        Transaction = await _connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        _transactionConnection = _connection;
    }

    /// <summary>Commits the command's writes; on SQLite, returns once the group commit carrying them is durable.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_inGroup) await LeaveGroupAsync(succeeded: true);
            else if (Transaction is not null) await Transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await EndAsync();
        }
    }

    /// <summary>
    /// Rolls the command's writes back. On SQLite the writer gate ends the write and, when the group it was in failed,
    /// throws that failure on purpose: a refusal inside a group may rest on what earlier writes of the group wrote, which
    /// were then never stored, so it must not be answered as a refusal (SqliteWriterGate). On SQL Server each write is
    /// its own transaction: see <see cref="RollBackAfterFailureAsync"/>.
    /// </summary>
    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_inGroup) await LeaveGroupAsync(succeeded: false);
            else if (Transaction is not null) await RollBackAfterFailureAsync(Transaction, logger ?? (ILogger)NullLogger.Instance);
        }
        finally
        {
            await EndAsync();
        }
    }

    /// <summary>
    /// A rollback on a failure path whose own error never replaces the one being handled. When the server has already
    /// ended the transaction (a dropped connection; a transaction it aborted), the rollback throws, and rethrown from
    /// <c>catch { rollback; throw; }</c> that error would hide the real cause (and a refusal would become a 500). Nothing of
    /// the write is stored either way: closing the connection rolls back whatever the server still holds. Logged instead.
    /// </summary>
    internal static async Task RollBackAfterFailureAsync(DbTransaction transaction, ILogger logger)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            RollbackFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "A rollback failed after the transaction had already ended; the write's own error is the one reported")]
    private static partial void RollbackFailed(ILogger logger, Exception exception);

    // The group's transaction is the gate's, not this session's: the gate ends the write (and releases itself).
    private Task LeaveGroupAsync(bool succeeded)
    {
        _inGroup = false;
        Transaction = null;
        _transactionConnection = null;
        return writerGate.LeaveWriteAsync(succeeded);
    }

    private async Task EndAsync()
    {
        // Ended without a commit or rollback (an exception past the transaction scope): the write is rolled back.
        if (_inGroup) await LeaveGroupAsync(succeeded: false);
        _transactionWanted = false;
        _transactionConnection = null;
        try
        {
            if (Transaction is not null) await Transaction.DisposeAsync();
        }
        finally
        {
            Transaction = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await EndAsync();
        }
        finally
        {
            if (_connection is SqliteConnection sqlite)
            {
                if (readers is not null) readers.Return(sqlite);
                else ConnectionFactory.CloseSqlite(sqlite);
            }
            else if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }

            _connection = null;
        }
    }
}

public static class ConnectionFactory
{
    public static async Task<DbConnection> OpenAsync(DatabaseOptions options, CancellationToken cancellationToken) =>
        options.Provider == DatabaseProvider.SqlServer
            ? await OpenSqlServerAsync(options, cancellationToken)
            : await OpenSqliteAsync(new SqliteConnection(options.ConnectionString), options, cancellationToken);

    private static async Task<DbConnection> OpenSqlServerAsync(DatabaseOptions options, CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(options.ConnectionString) { RetryLogicProvider = SqlServerRetry.Provider };
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Closes a SQLite connection that may still be inside a transaction. Microsoft.Data.Sqlite's pool keeps the native
    /// connection as it is, so a transaction begun by SQL text (not through <c>BeginTransaction</c>) would otherwise be
    /// handed to the next connection opened, its writes visible there and committed by whoever commits next.
    /// </summary>
    public static void CloseSqlite(SqliteConnection connection)
    {
        if (connection.State == System.Data.ConnectionState.Open && SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
        {
            try
            {
                using var rollback = connection.CreateCommand();
                rollback.CommandText = "ROLLBACK";
                rollback.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                SqliteConnection.ClearPool(connection);
            }
        }

        connection.Dispose();
    }

    /// <summary>Opens <paramref name="connection"/> (not yet opened) with the pragmas every SQLite connection of the service runs with.</summary>
    public static async Task<T> OpenSqliteAsync<T>(T connection, DatabaseOptions options, CancellationToken cancellationToken)
        where T : SqliteConnection
    {
        // Before the first SQLite connection, for hosts that did not make them at start-up (tools, the benchmark's baseline).
        SqliteProcessSettings.Apply();
        try
        {
            await connection.OpenAsync(cancellationToken);
            // One plan per statement text whatever its parameters, so a kept statement is reused as compiled (SqliteNative).
            SqliteNative.EnablePlanStability(connection);
            await using var pragma = connection.CreateCommand();
            // synchronous=FULL: an acknowledged write survives power loss, not only a crash.
            // wal_autocheckpoint: with the checkpointer on, a commit checkpoints only past the backstop (SqliteCheckpointer).
            var checkpointPages = options.SqliteCheckpointerOn ? DatabaseOptions.SqliteBackstopCheckpointPages : DatabaseOptions.SqliteDefaultCheckpointPages;
            pragma.CommandText = $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {options.SqliteBusyTimeoutMs}; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = {checkpointPages};";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
