using Dapper;
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
}
