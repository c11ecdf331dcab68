using System.Buffers;
using System.Collections.Concurrent;
using System.Data;
using System.Reflection;
using System.Text;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>
/// <see cref="IDatabaseSession.StreamAsync"/> for both providers. SQLite: the statement runs on the connection's own
/// handle, and a text column is handed over as the bytes SQLite holds (ADO.NET would make a string of each). SQL Server:
/// the reader in sequential access, each text column copied through pooled buffers. Parameters bind as the Dapper type
/// handlers bind them (<see cref="DapperTypeHandlers"/>): on SQLite GUIDs as lower-case text and instants as their text.
/// </summary>
internal static class StreamedReads
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    private static IEnumerable<(string Name, object? Value)> ParametersOf(object? parameters) =>
        parameters is null ? []
            : Properties.GetOrAdd(parameters.GetType(), t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                .Select(p => (p.Name, p.GetValue(parameters)));

    /// <summary>Synchronous, as Microsoft.Data.Sqlite's own reads are: SQLite runs in process.</summary>
    public static void Sqlite(SqliteConnection connection, string sql, object? parameters, Action<IStreamedRow> onRow, CancellationToken cancellationToken)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        using (statement)
        {
            foreach (var (name, value) in ParametersOf(parameters))
            {
                var index = raw.sqlite3_bind_parameter_index(statement, "@" + name);
                if (index == 0) continue;
                Check(value switch
                {
                    null => raw.sqlite3_bind_null(statement, index),
                    Guid guid => raw.sqlite3_bind_text(statement, index, guid.ToString("D")),
                    DateTimeOffset instant => raw.sqlite3_bind_text(statement, index, Instant.ToText(instant)),
                    string text => raw.sqlite3_bind_text(statement, index, text),
                    int or long or short => raw.sqlite3_bind_int64(statement, index, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
                    _ => throw new NotSupportedException($"A streamed read cannot bind a {value.GetType().Name} (@{name})."),
                }, db);
            }

            var row = new SqliteRow(statement);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var step = raw.sqlite3_step(statement);
                if (step == raw.SQLITE_DONE) return;
                if (step != raw.SQLITE_ROW) Check(step, db);
                onRow(row);
            }
        }
    }

    private static void Check(int resultCode, sqlite3 db)
    {
        if (resultCode != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(resultCode, db);
    }

    private sealed class SqliteRow(sqlite3_stmt statement) : IStreamedRow
    {
        public bool IsNull(int ordinal) => raw.sqlite3_column_type(statement, ordinal) == raw.SQLITE_NULL;

        public long GetInt64(int ordinal) => raw.sqlite3_column_int64(statement, ordinal);

        // The database is UTF-8, so a text value's blob is its UTF-8 bytes as stored: no conversion, no copy.
        public ReadOnlySpan<byte> GetUtf8(int ordinal) => raw.sqlite3_column_blob(statement, ordinal);
    }

    public static async Task SqlServerAsync(SqlConnection connection, SqlTransaction? transaction, string sql, object? parameters,
        Action<IStreamedRow> onRow, CancellationToken cancellationToken)
    {
        await using var command = new SqlCommand(sql, connection, transaction);
        foreach (var (name, value) in ParametersOf(parameters))
        {
            command.Parameters.Add(value switch
            {
                null => new SqlParameter("@" + name, DBNull.Value),
                Guid guid => new SqlParameter("@" + name, SqlDbType.UniqueIdentifier) { Value = guid },
                DateTimeOffset instant => new SqlParameter("@" + name, SqlDbType.DateTimeOffset) { Value = Instant.Truncate(instant) },
                string text => new SqlParameter("@" + name, SqlDbType.NVarChar, Math.Max(text.Length, 1)) { Value = text },
                int number => new SqlParameter("@" + name, SqlDbType.Int) { Value = number },
                long number => new SqlParameter("@" + name, SqlDbType.BigInt) { Value = number },
                _ => throw new NotSupportedException($"A streamed read cannot bind a {value.GetType().Name} (@{name})."),
            });
        }

        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        using var row = new SqlServerRow(reader);
        while (await reader.ReadAsync(cancellationToken)) onRow(row);
    }

    /// <summary>Each text column read in pieces into a pooled buffer and encoded into another: no string per column.</summary>
    private sealed class SqlServerRow(SqlDataReader reader) : IStreamedRow, IDisposable
    {
        private char[] _chars = ArrayPool<char>.Shared.Rent(4096);
        private byte[] _bytes = ArrayPool<byte>.Shared.Rent(4096 * 3);

        public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);

        public long GetInt64(int ordinal) => reader.GetFieldType(ordinal) == typeof(int) ? reader.GetInt32(ordinal) : reader.GetInt64(ordinal);

        public ReadOnlySpan<byte> GetUtf8(int ordinal)
        {
            var length = 0;
            while (true)
            {
                if (length == _chars.Length) Grow(ref _chars, length);
                var read = (int)reader.GetChars(ordinal, length, _chars, length, _chars.Length - length);
                if (read == 0) break;
                length += read;
            }

            var needed = Encoding.UTF8.GetMaxByteCount(length);
            if (needed > _bytes.Length)
            {
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = ArrayPool<byte>.Shared.Rent(needed);
            }

            return _bytes.AsSpan(0, Encoding.UTF8.GetBytes(_chars, 0, length, _bytes, 0));
        }

        private static void Grow(ref char[] buffer, int used)
        {
            var larger = ArrayPool<char>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan(0, used).CopyTo(larger);
            ArrayPool<char>.Shared.Return(buffer);
            buffer = larger;
        }

        public void Dispose()
        {
            ArrayPool<char>.Shared.Return(_chars);
            ArrayPool<byte>.Shared.Return(_bytes);
        }
    }
}
