namespace ExtraditionCases.Infrastructure.Persistence;

public enum DatabaseProvider { Sqlite, SqlServer }

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";
    public const string DefaultSqliteConnectionString = "Data Source=./data/extradition-cases.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Replicas run with false and a one-shot <c>migrate</c> run before them.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>From ConnectionStrings:Cases; defaults to a SQLite file under ./data/.</summary>
    public string ConnectionString { get; set; } = DefaultSqliteConnectionString;

    /// <summary>SQLite busy timeout: how long a connection waits for a lock held by another process.</summary>
    public int SqliteBusyTimeoutMs { get; set; } = 5000;
}
