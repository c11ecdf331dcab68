using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>
/// A SQLite connection kept open across requests whose commands keep their compiled statements: one cached
/// <see cref="SqliteCommand"/> per SQL text. Microsoft.Data.Sqlite compiles a command's SQL on its first execution and
/// keeps it only as long as that command lives, and Dapper makes a new command per call, so every statement was
/// compiled again on every use (tens of microseconds for the longer inserts; issue 20). The writer gate's connection
/// (<see cref="SqliteWriterGate"/>) and the idle read connections (<see cref="SqliteReaders"/>) are of this kind. Used by
/// one holder at a time (the gate's, or the session that rented it), one statement at a time, so the cache needs no lock.
/// </summary>
public sealed class CachedStatementsConnection(string connectionString) : SqliteConnection(connectionString)
{
    /// <summary>The connection string it was made with, to match a kept connection to the database asked for.</summary>
    public string OpenedWith { get; } = connectionString;

    /// <summary>Distinct statements kept compiled; a connection uses a few dozen, anything past this is compiled per use as before.</summary>
    public const int Capacity = 256;

    private readonly Dictionary<string, Stack<SqliteCommand>> _compiled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IDisposable> _kept = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>
    /// An object made once for this connection and kept while it stays open: native statements Microsoft.Data.Sqlite
    /// neither knows of nor finalises (<see cref="Access.SqliteAccessLogInsert"/>). Disposed before the connection closes.
    /// </summary>
    public T Keep<T>(string key, Func<CachedStatementsConnection, T> make) where T : class, IDisposable
    {
        if (_kept.TryGetValue(key, out var kept)) return (T)kept;
        var made = make(this);
        _kept[key] = made;
        return made;
    }

    public override void Close()
    {
        DisposeKept();
        base.Close();
    }

    private void DisposeKept()
    {
        foreach (var kept in _kept.Values) kept.Dispose();
        _kept.Clear();
    }

    /// <summary>What Dapper (through <see cref="IDbConnection.CreateCommand"/>) gets; typed callers of <see cref="SqliteConnection.CreateCommand"/> get a plain command.</summary>
    protected override DbCommand CreateDbCommand() => new CachedCommand(this);

    /// <summary>How many compiled commands are kept (for tests).</summary>
    public int CompiledCount => _count;

    private SqliteCommand Rent(string text)
    {
        if (_compiled.TryGetValue(text, out var free) && free.TryPop(out var command))
        {
            _count--;
            return command;
        }

        command = CreateCommand();
        command.CommandText = text;
        return command;
    }

    private void Return(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        if (_count >= Capacity || State != ConnectionState.Open)
        {
            command.Dispose();
            return;
        }

        if (!_compiled.TryGetValue(command.CommandText, out var free)) _compiled[command.CommandText] = free = new Stack<SqliteCommand>(1);
        free.Push(command);
        _count++;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeKept();
            foreach (var command in _compiled.Values.SelectMany(free => free)) command.Dispose();
            _compiled.Clear();
            _count = 0;
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// A command whose text picks a compiled <see cref="SqliteCommand"/> from the connection's cache (Dapper sets the
    /// text before it adds parameters) and gives it back, parameters cleared, when disposed.
    /// </summary>
    private sealed class CachedCommand(CachedStatementsConnection owner) : DbCommand
    {
        private SqliteCommand? _inner;
        private DbDataReader? _reader;
        private SqliteTransaction? _transaction;
        private int _timeout = 30;
        private string _text = "";

        // Dapper sets the transaction before the text, and the parameters after it.
        private SqliteCommand Inner => _inner ?? throw new InvalidOperationException("Set the command text first.");

        [AllowNull]
        public override string CommandText
        {
            get => _text;
            set
            {
                value ??= "";
                if (_inner is not null && _inner.CommandText == value) return;
                var previous = _inner;
                _text = value;
                _inner = owner.Rent(value);
                _inner.Transaction = _transaction;
                _inner.CommandTimeout = _timeout;
                if (previous is null) return;
                // A text rewritten after its parameters were bound (Dapper's list expansion) keeps them.
                SqliteParameter[] bound = [.. previous.Parameters.Cast<SqliteParameter>()];
                previous.Parameters.Clear();
                _inner.Parameters.AddRange(bound);
                owner.Return(previous);
            }
        }

        public override int CommandTimeout
        {
            get => _timeout;
            set
            {
                _timeout = value;
                if (_inner is not null) _inner.CommandTimeout = value;
            }
        }

        public override CommandType CommandType
        {
            get => CommandType.Text;
            set
            {
                if (value != CommandType.Text) throw new ArgumentException("Only text commands.", nameof(value));
            }
        }

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => owner;
            set
            {
                if (value is not null && !ReferenceEquals(value, owner)) throw new InvalidOperationException("A writer command stays on its connection.");
            }
        }

        protected override DbParameterCollection DbParameterCollection => Inner.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => _transaction;
            set
            {
                _transaction = (SqliteTransaction?)value;
                if (_inner is not null) _inner.Transaction = _transaction;
            }
        }

        public override void Cancel() => _inner?.Cancel();

        public override int ExecuteNonQuery() => Inner.ExecuteNonQuery();

        public override object? ExecuteScalar() => Inner.ExecuteScalar();

        public override void Prepare() => Inner.Prepare();

        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => _reader = Inner.ExecuteReader(behavior);

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => Inner.ExecuteNonQueryAsync(cancellationToken);

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Inner.ExecuteScalarAsync(cancellationToken);

        protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
            _reader = await Inner.ExecuteReaderAsync(behavior, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing && _inner is not null)
            {
                // A reader left open would keep its statement mid-step (and its read snapshot), and the cached command
                // would refuse its next execution; closing it resets the statement.
                if (_reader is { IsClosed: false }) _reader.Dispose();
                _reader = null;
                owner.Return(_inner);
                _inner = null;
            }

            base.Dispose(disposing);
        }
    }
}
