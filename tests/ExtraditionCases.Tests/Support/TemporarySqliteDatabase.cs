using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtraditionCases.Tests.Support;

/// <summary>A SQLite file of its own in a temporary folder, migrated by the real <see cref="Migrator"/>.</summary>
public sealed class TemporarySqliteDatabase : IDisposable
{
    private TemporarySqliteDatabase(string folder)
    {
        Folder = folder;
        Options = new DatabaseOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "cases.db") }.ToString(),
        };
    }

    public string Folder { get; }
    public DatabaseOptions Options { get; }

    public static TemporarySqliteDatabase CreateMigrated()
    {
        var database = new TemporarySqliteDatabase(Path.Combine(Path.GetTempPath(), "extradition-tests", Guid.NewGuid().ToString("N")));
        try
        {
            new Migrator(database.Options, NullLogger<Migrator>.Instance).Migrate();
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean; the test already has its result.
        }
    }
}
