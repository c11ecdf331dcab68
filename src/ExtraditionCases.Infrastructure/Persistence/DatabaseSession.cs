using System.Data.Common;
using Dapper;
using ExtraditionCases.Application.Abstractions;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>
/// SQLite allows one writer at a time. Without this gate, concurrent writers collide on the file lock
/// and Microsoft.Data.Sqlite retries by sleeping 150 ms, which wrecks tail latency; with it, writers
/// queue in memory and each transaction finds the lock free.
/// </summary>
public sealed class SqliteWriterGate
{
    public SemaphoreSlim Gate { get; } = new(1, 1);
}

/// <summary>The request's connection and, for commands, its one transaction.</summary>
public sealed class DatabaseSession(DatabaseOptions options, SqliteWriterGate writerGate) : IDatabaseSession, IAsyncDisposable
{
    private DbConnection? _connection;
    private bool _holdsGate;
    private bool _transactionWanted;

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

    private CommandDefinition Command(SqlStatement statement, object? parameters, CancellationToken cancellationToken) =>
        new(TextOf(statement), parameters, Transaction, cancellationToken: cancellationToken);

    /// <summary>
    /// The request's connection. Inside a command's transaction scope, the first statement's call starts the
    /// transaction, so everything a command does before its first statement runs outside the writer gate.
    /// </summary>
    public async Task<DbConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        _connection ??= await ConnectionFactory.OpenAsync(options, cancellationToken);
        if (_transactionWanted && Transaction is null) await StartTransactionAsync(_connection, cancellationToken);
        return _connection;
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
        return Task.CompletedTask;
    }

    private async Task StartTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            await writerGate.Gate.WaitAsync(cancellationToken);
            _holdsGate = true;
        }

        try
        {
            // SQLite: BEGIN IMMEDIATE takes the write lock up front. SQL Server: read committed with
            // optimistic version checks on every update (READ_COMMITTED_SNAPSHOT is recommended).
            Transaction = connection is SqliteConnection sqlite
                ? sqlite.BeginTransaction(deferred: false)
                : await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        }
        catch
        {
            ReleaseGate();
            throw;
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (Transaction is not null) await Transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await EndAsync();
        }
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (Transaction is not null) await Transaction.RollbackAsync(cancellationToken);
        }
        finally
        {
            await EndAsync();
        }
    }

    private async Task EndAsync()
    {
        _transactionWanted = false;
        if (Transaction is not null) await Transaction.DisposeAsync();
        Transaction = null;
        ReleaseGate();
    }

    private void ReleaseGate()
    {
        if (!_holdsGate) return;
        _holdsGate = false;
        writerGate.Gate.Release();
    }

    public async ValueTask DisposeAsync()
    {
        await EndAsync();
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
    }
}

public static class ConnectionFactory
{
    public static async Task<DbConnection> OpenAsync(DatabaseOptions options, CancellationToken cancellationToken)
    {
        DbConnection connection = options.Provider == DatabaseProvider.SqlServer
            ? new SqlConnection(options.ConnectionString) { RetryLogicProvider = SqlServerRetry.Provider }
            : new SqliteConnection(options.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (connection is SqliteConnection sqlite)
            {
                await using var pragma = sqlite.CreateCommand();
                // synchronous=FULL: an acknowledged write survives power loss, not only a crash.
                pragma.CommandText = $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {options.SqliteBusyTimeoutMs}; PRAGMA synchronous = FULL;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
