using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>
/// Applies the numbered scripts of db/sqlite or db/sqlserver (embedded in this assembly) with DbUp,
/// which records each applied script, so running it twice changes nothing. On SQL Server it first
/// creates the database the connection string names if the server lacks it: SQL Server has no
/// equivalent of a container variable that creates one, and a one-shot <c>migrate</c> against a fresh
/// server must be enough.
/// </summary>
public sealed partial class Migrator(DatabaseOptions options, ILogger<Migrator> logger)
{
    public void Migrate()
    {
        if (options.Provider == DatabaseProvider.SqlServer)
        {
            // Also refuses a connection string that names no database, which would otherwise migrate
            // the login's default database (master, usually).
            if (EnsureDatabase.For.SqlDatabase(options.ConnectionString, new NoOpUpgradeLog()))
                Created(logger, new SqlConnectionStringBuilder(options.ConnectionString).InitialCatalog);
        }
        else
        {
            try
            {
                PrepareSqliteFile();
            }
            catch (SqliteException e)
            {
                // Another process holding the file's lock (a second instance starting on it, say) ends here.
                throw new InvalidOperationException($"Migrations could not start (opening the SQLite file): {e.Message}", e);
            }
        }

        var result = Engine().PerformUpgrade();
        foreach (var script in result.Scripts) Applied(logger, script.Name);
        if (!result.Successful)
        {
            // No script named: DbUp failed before any script started (its connection, its journal, the scripts' list).
            var what = result.ErrorScript is { } script ? $"Migration {script.Name} failed" : "Migrations could not start (before any script ran)";
            throw new InvalidOperationException($"{what}: {result.Error.Message}", result.Error);
        }
    }

    /// <summary>
    /// The embedded scripts the database has not recorded yet (DbUp's own upgrade check, which reads
    /// its journal table): a replica whose database lacks any of them is not ready. Changes nothing.
    /// </summary>
    public IReadOnlyList<string> PendingScripts() => [.. Engine().GetScriptsToExecute().Select(s => s.Name)];

    private UpgradeEngine Engine() => options.Provider == DatabaseProvider.SqlServer
        ? DeployChanges.To.SqlDatabase(options.ConnectionString)
            .WithScriptsEmbeddedInAssembly(typeof(Migrator).Assembly, name => name.StartsWith("sqlserver.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
        : DeployChanges.To.SqliteDatabase(options.ConnectionString)
            .WithScriptsEmbeddedInAssembly(typeof(Migrator).Assembly, name => name.StartsWith("sqlite.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();

    /// <summary>Creates the data folder and switches the file to WAL, which persists in the file.</summary>
    private void PrepareSqliteFile()
    {
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);

        SqliteProcessSettings.Apply();
        using var connection = new SqliteConnection(options.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created database {Database}")]
    private static partial void Created(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Script}")]
    private static partial void Applied(ILogger logger, string script);
}
