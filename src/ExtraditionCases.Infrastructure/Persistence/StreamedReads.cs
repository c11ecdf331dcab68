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

    /// <summary>Each property's name, declared type (what a null is bound as on SQL Server) and value.</summary>
    private static IEnumerable<(string Name, Type Type, object? Value)> ParametersOf(object? parameters) =>
        parameters is null ? []
            : Properties.GetOrAdd(parameters.GetType(), t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                .Select(p => (p.Name, Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType, p.GetValue(parameters)));

    /// <summary>Synchronous, as Microsoft.Data.Sqlite's own reads are: SQLite runs in process.</summary>
    public static void Sqlite(SqliteConnection connection, string sql, object? parameters, Action<IStreamedRow> onRow, CancellationToken cancellationToken)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Check(raw.sqlite3_prepare_v2(db, sql, out var statement, out var tail), db);
        using (statement)
        {
            if (!string.IsNullOrWhiteSpace(tail)) throw new NotSupportedException("A streamed read runs one statement.");
            foreach (var (name, _, value) in ParametersOf(parameters))
            {
                var index = raw.sqlite3_bind_parameter_index(statement, "@" + name);
                if (index == 0) continue;
                Check(value switch
                {
                    null => raw.sqlite3_bind_null(statement, index),
                    Guid guid => raw.sqlite3_bind_text(statement, index, guid.ToString("D")),
                    DateTimeOffset instant => raw.sqlite3_bind_text(statement, index, Instant.ToText(instant)),
                    string text => raw.sqlite3_bind_text(statement, index, text),
                    int number => raw.sqlite3_bind_int64(statement, index, number),
                    long number => raw.sqlite3_bind_int64(statement, index, number),
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
        foreach (var (name, type, value) in ParametersOf(parameters))
        {
            var parameter = type == typeof(Guid) ? new SqlParameter("@" + name, SqlDbType.UniqueIdentifier)
                : type == typeof(DateTimeOffset) ? new SqlParameter("@" + name, SqlDbType.DateTimeOffset)
                // Sized as Dapper sizes them, so that one plan serves every length up to 4,000.
                : type == typeof(string) ? new SqlParameter("@" + name, SqlDbType.NVarChar, value is string { Length: > 4000 } ? -1 : 4000)
                : type == typeof(int) ? new SqlParameter("@" + name, SqlDbType.Int)
                : type == typeof(long) ? new SqlParameter("@" + name, SqlDbType.BigInt)
                : throw new NotSupportedException($"A streamed read cannot bind a {type.Name} (@{name}).");
            parameter.Value = value switch
            {
                null => DBNull.Value,
                DateTimeOffset instant => Instant.Truncate(instant),
                _ => value,
            };
            command.Parameters.Add(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        using var row = new SqlServerRow(reader);
        while (await reader.ReadAsync(cancellationToken)) onRow(row);
    }

    /// <summary>
    /// Each text column encoded into a pooled buffer. Under sequential access SqlClient streams only the (max) columns
    /// (here the event's data): those are read in pieces through another pooled buffer, with no string; a shorter column
    /// it materialises anyway, so it is read as the one string that costs.
    /// </summary>
    private sealed class SqlServerRow(SqlDataReader reader) : IStreamedRow, IDisposable
    {
        private readonly bool[] _long = [.. reader.GetColumnSchema().Select(c => c.IsLong == true)];
        private char[] _chars = ArrayPool<char>.Shared.Rent(4096);
        private byte[] _bytes = ArrayPool<byte>.Shared.Rent(4096 * 3);

        public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);

        public long GetInt64(int ordinal) => reader.GetFieldType(ordinal) == typeof(int) ? reader.GetInt32(ordinal) : reader.GetInt64(ordinal);

        public ReadOnlySpan<byte> GetUtf8(int ordinal)
        {
            if (!_long[ordinal]) return Encode(reader.GetString(ordinal));
            var length = 0;
            while (true)
            {
                if (length == _chars.Length) Grow(ref _chars, length);
                var read = (int)reader.GetChars(ordinal, length, _chars, length, _chars.Length - length);
                if (read == 0) break;
                length += read;
            }

            return Encode(_chars.AsSpan(0, length));
        }

        /// <summary>The whole value at once, so that a surrogate pair is never split.</summary>
        private ReadOnlySpan<byte> Encode(ReadOnlySpan<char> text)
        {
            var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (needed > _bytes.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(needed);
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = larger;
            }

            return _bytes.AsSpan(0, Encoding.UTF8.GetBytes(text, _bytes));
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
