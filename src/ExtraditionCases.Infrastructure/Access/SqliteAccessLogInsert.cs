using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ExtraditionCases.Infrastructure.Access;

/// <summary>
/// SQLite: a batch's insert of entries with their leaves (<see cref="AccessLogSql.InsertWithLeaf"/>) as native statements,
/// compiled once per writer connection and bound by position. Through Microsoft.Data.Sqlite every execution looked up
/// each of the 15 parameter names in each of the two statements and made a data reader: 7-9 µs more of the writer's CPU
/// per entry (of about 25), which every request to case data pays (issue 20). Values are bound exactly as
/// Microsoft.Data.Sqlite binds the same parameters (<see cref="AccessLogInsert"/> on SQL Server): text as UTF-8 through
/// the same conversion, ids as lower-case text, instants as <see cref="Instant.ToText"/>, numbers as 64-bit integers.
/// </summary>
internal sealed class SqliteAccessLogInsert : IDisposable
{
    private static readonly string[] Names =
    [
        "@At", "@Subject", "@Role", "@Country", "@CaseId", "@Method", "@Endpoint", "@Status", "@TraceId", "@ClientAddress",
        "@Issuer", "@RequestCount", "@CaseIds", "@EntryHash", "@LeafIndex",
    ];

    private readonly sqlite3 _db;
    private readonly List<sqlite3_stmt> _statements = [];
    private readonly (int Slot, int Index)[][] _bindings;
    private readonly object?[] _values = new object?[Names.Length];
    private bool _disposed;

    public SqliteAccessLogInsert(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        try
        {
            var rest = sql;
            while (!string.IsNullOrWhiteSpace(rest))
            {
                var rc = raw.sqlite3_prepare_v2(_db, rest, out var statement, out var tail);
                if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
                if (statement.IsInvalid) break; // only a comment or a semicolon was left
                _statements.Add(statement);
                rest = tail;
            }

            _bindings = [.. _statements.Select(BindingsOf)];
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    // Each of the statement's parameters is one of ours: a name outside the list would be left unbound (NULL) silently.
    private static (int Slot, int Index)[] BindingsOf(sqlite3_stmt statement)
    {
        var bindings = Names.Select((name, slot) => (Slot: slot, Index: raw.sqlite3_bind_parameter_index(statement, name)))
            .Where(b => b.Index > 0).ToArray();
        if (bindings.Length != raw.sqlite3_bind_parameter_count(statement))
            throw new InvalidOperationException("The access log's insert names a parameter it is never given.");
        return bindings;
    }

    /// <summary>Stores <paramref name="entry"/> and its leaf at <paramref name="leafIndex"/>, in the connection's open transaction.</summary>
    public void Execute(AccessEntry entry, string? caseIds, string entryHash, long leafIndex)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _values[0] = Instant.ToText(entry.At);
        _values[1] = entry.Subject;
        _values[2] = entry.Role;
        _values[3] = entry.Country;
        _values[4] = entry.CaseId?.ToString("D");
        _values[5] = entry.Method;
        _values[6] = entry.Endpoint;
        _values[7] = (long)entry.Status;
        _values[8] = entry.TraceId;
        _values[9] = entry.ClientAddress;
        _values[10] = entry.Issuer;
        _values[11] = (long)entry.Count;
        _values[12] = caseIds;
        _values[13] = entryHash;
        _values[14] = leafIndex;
        for (var s = 0; s < _statements.Count; s++)
        {
            var statement = _statements[s];
            foreach (var (slot, index) in _bindings[s]) Bind(statement, index, _values[slot]);
            var rc = raw.sqlite3_step(statement);
            try
            {
                // The message is read here, before the reset below.
                if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
            }
            finally
            {
                raw.sqlite3_reset(statement);
            }
        }
    }

    private void Bind(sqlite3_stmt statement, int index, object? value)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(statement, index),
            string text => raw.sqlite3_bind_text(statement, index, text),
            long number => raw.sqlite3_bind_int64(statement, index, number),
            _ => throw new ArgumentException($"No binding for {value.GetType().Name}.", nameof(value)),
        };
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var statement in _statements) statement.Dispose();
        _statements.Clear();
    }
}
