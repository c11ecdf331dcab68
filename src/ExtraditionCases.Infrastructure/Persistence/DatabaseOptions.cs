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

    /// <summary>
    /// How often <see cref="SqliteCheckpointer"/> copies the write-ahead log into the database file, off the write path;
    /// 0 leaves checkpoints to SQLite, which runs one inside a commit every 1,000 pages (under the writer gate).
    /// </summary>
    public int SqliteCheckpointIntervalMs { get; set; } = 100;

    /// <summary>
    /// Writes one SQLite commit may carry at most (group commit, <see cref="SqliteWriterGate"/>): a write that ends while
    /// another is waiting for the gate leaves its transaction open for it, and the last commits for all, with one
    /// <c>fsync</c>. Each write still waits for that commit before it is acknowledged. 1 commits every write on its own.
    /// </summary>
    public int SqliteGroupCommitWrites { get; set; } = DefaultSqliteGroupCommitWrites;

    public const int DefaultSqliteGroupCommitWrites = 16;

    /// <summary>
    /// With the checkpointer on, a commit still checkpoints once the log passes this many pages (64 MiB): the backstop
    /// that keeps the log bounded if the checkpointer falls behind or fails.
    /// </summary>
    public const int SqliteBackstopCheckpointPages = 16_384;

    /// <summary>SQLite's own threshold, used when the checkpointer is off.</summary>
    public const int SqliteDefaultCheckpointPages = 1_000;

    public bool SqliteCheckpointerOn => Provider == DatabaseProvider.Sqlite && SqliteCheckpointIntervalMs > 0;
}
