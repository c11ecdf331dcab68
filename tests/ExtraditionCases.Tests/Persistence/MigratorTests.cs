using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>What an operator reads when the migrations cannot run.</summary>
public sealed class MigratorTests
{
    /// <summary>
    /// Another process holding the SQLite file's lock (a second instance starting on the same file) stops the migrations
    /// before any script: the message says they could not start and why, not "Migration  failed" with no script named.
    /// </summary>
    [Test]
    public void A_file_locked_by_another_connection_is_reported_as_migrations_that_could_not_start()
    {
        using var database = TemporarySqliteDatabase.CreateMigrated();
        using var holder = new SqliteConnection(database.Options.ConnectionString);
        holder.Open();
        using (var command = holder.CreateCommand())
        {
            // Exclusive locking mode: once this connection has read, no other connection can read the file.
            command.CommandText = "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; SELECT COUNT(*) FROM Cases;";
            command.ExecuteNonQuery();
        }

        var impatient = new DatabaseOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = new SqliteConnectionStringBuilder(database.Options.ConnectionString) { DefaultTimeout = 1 }.ToString(),
        };

        Assert.That(() => new Migrator(impatient, NullLogger<Migrator>.Instance).Migrate(),
            Throws.InvalidOperationException.With.Message.StartsWith("Migrations could not start")
                .And.Message.Contains("database is locked"));
    }

    /// <summary>DbUp failing before any script started (here its journal cannot be read) names no script: the message says so.</summary>
    [Test]
    public void A_journal_that_cannot_be_read_is_reported_as_migrations_that_could_not_start()
    {
        using var database = TemporarySqliteDatabase.CreateMigrated();
        using (var connection = new SqliteConnection(database.Options.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE SchemaVersions; CREATE TABLE SchemaVersions (Unrelated INTEGER);";
            command.ExecuteNonQuery();
        }

        Assert.That(() => new Migrator(database.Options, NullLogger<Migrator>.Instance).Migrate(),
            Throws.InvalidOperationException.With.Message.StartsWith("Migrations could not start (before any script ran): "));
    }
}
