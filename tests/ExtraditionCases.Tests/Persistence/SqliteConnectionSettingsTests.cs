using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>The SQLite durability and locking choices docs/sqlserver.md describes, as the service's connections have them.</summary>
public sealed class SqliteConnectionSettingsTests
{
    [Test]
    public async Task Service_connections_use_wal_full_sync_a_busy_timeout_and_foreign_keys()
    {
        using var database = TemporarySqliteDatabase.CreateMigrated();
        await using var connection = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);

        var journalMode = await connection.QuerySingleAsync<string>("PRAGMA journal_mode");
        var synchronous = await connection.QuerySingleAsync<long>("PRAGMA synchronous");
        var busyTimeout = await connection.QuerySingleAsync<long>("PRAGMA busy_timeout");
        var foreignKeys = await connection.QuerySingleAsync<long>("PRAGMA foreign_keys");

        Assert.Multiple(() =>
        {
            Assert.That(journalMode, Is.EqualTo("wal"), "set once by the migrator; WAL persists in the file");
            Assert.That(synchronous, Is.EqualTo(2), "2 is FULL");
            Assert.That(busyTimeout, Is.EqualTo(database.Options.SqliteBusyTimeoutMs));
            Assert.That(foreignKeys, Is.EqualTo(1));
        });
    }

    /// <summary>
    /// Issue 20: the service's connections plan a statement once, whatever its parameters. With SQLite's default planner
    /// a bound LIMIT (or LIKE pattern) is read at planning, so binding it again expires the compiled statement and its
    /// next step compiles it again: the statements the service keeps compiled (CachedStatementsConnection) would be
    /// compiled on every execution. The unpooled plain connection is the control: there the statement is compiled again.
    /// </summary>
    [Test]
    public async Task A_statement_with_a_bound_limit_is_not_compiled_again_when_rebound_on_a_service_connection()
    {
        using var database = TemporarySqliteDatabase.CreateMigrated();
        await using var service = (SqliteConnection)await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        await using var plain = new SqliteConnection(new SqliteConnectionStringBuilder(database.Options.ConnectionString) { Pooling = false }.ToString());
        await plain.OpenAsync();

        var onService = CompilationsAfterRebinding(service);
        var onPlain = CompilationsAfterRebinding(plain);

        Assert.Multiple(() =>
        {
            Assert.That(onService, Is.Zero, "service connection");
            Assert.That(onPlain, Is.GreaterThan(0), "SQLite's default: the control");
        });
    }

    private static int CompilationsAfterRebinding(SqliteConnection connection)
    {
        const int RepreparedCount = 5; // SQLITE_STMTSTATUS_REPREPARE
        if (raw.sqlite3_prepare_v2(connection.Handle, "SELECT Reference FROM Cases ORDER BY CreatedAt LIMIT @Limit", out var statement) != raw.SQLITE_OK)
            throw new InvalidOperationException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string());
        using (statement)
        {
            foreach (var limit in new[] { 50, 20, 100 })
            {
                raw.sqlite3_reset(statement);
                raw.sqlite3_bind_int(statement, 1, limit);
                if (raw.sqlite3_step(statement) != raw.SQLITE_DONE) throw new InvalidOperationException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string());
            }

            return raw.sqlite3_stmt_status(statement, RepreparedCount, 0);
        }
    }
}
