using Dapper;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtraditionCases.Tests.Support;

/// <summary>
/// A fresh, uniquely named SQL Server database for one fixture run, migrated by the real
/// <see cref="Migrator"/> and dropped afterwards. A new database rather than emptied tables, because
/// the events table is an append-only ledger table and cannot be deleted from or truncated.
/// </summary>
public sealed class SqlServerTestDatabase : IAsyncDisposable
{
    /// <summary>Holds a connection string to a server (any database; the tests create their own).</summary>
    public const string Variable = "EXTRADITION_TEST_SQLSERVER";

    private readonly string _masterConnectionString;

    private SqlServerTestDatabase(string serverConnectionString, string name)
    {
        Name = name;
        _masterConnectionString = new SqlConnectionStringBuilder(serverConnectionString) { InitialCatalog = "master" }.ConnectionString;
        Options = new DatabaseOptions
        {
            Provider = DatabaseProvider.SqlServer,
            ConnectionString = new SqlConnectionStringBuilder(serverConnectionString) { InitialCatalog = name }.ConnectionString,
        };
    }

    public string Name { get; }
    public DatabaseOptions Options { get; }

    public static string? ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    public static async Task<SqlServerTestDatabase> CreateMigratedAsync(string serverConnectionString)
    {
        var database = new SqlServerTestDatabase(serverConnectionString, $"ExtraditionTests_{DateTime.UtcNow:yyyyMMddHHmmss}_{Guid.NewGuid():N}");
        await using (var master = new SqlConnection(database._masterConnectionString))
        {
            await master.OpenAsync();
            await master.ExecuteAsync($"CREATE DATABASE [{database.Name}];");
        }

        try
        {
            await using (var connection = new SqlConnection(database._masterConnectionString))
            {
                await connection.OpenAsync();
                // As recommended for production: readers do not block on the optimistic writers; and ledger
                // verification (sys.sp_verify_database_ledger) needs snapshot isolation allowed.
                await connection.ExecuteAsync($"ALTER DATABASE [{database.Name}] SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE;");
                await connection.ExecuteAsync($"ALTER DATABASE [{database.Name}] SET ALLOW_SNAPSHOT_ISOLATION ON;");
            }

            new Migrator(database.Options, NullLogger<Migrator>.Instance).Migrate();
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled connections would keep the database in use.
        SqlConnection.ClearAllPools();
        await using var master = new SqlConnection(_masterConnectionString);
        await master.OpenAsync();
        await master.ExecuteAsync(
            $"IF DB_ID(N'{Name}') IS NOT NULL BEGIN ALTER DATABASE [{Name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{Name}]; END;");
    }
}
