using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>
/// Copies SQLite's write-ahead log into the database file every <see cref="DatabaseOptions.SqliteCheckpointIntervalMs"/>,
/// on its own connection. Left to SQLite, a checkpoint runs inside the commit that takes the log past 1,000 pages, while
/// that writer holds the writer gate, so every write queued behind it waited for the copy and its fsync: on a grown
/// database the commit was 64% of a filing's SQLite time and the source of its tail (issue 20, ninth round). A
/// <c>PASSIVE</c> checkpoint takes no write lock, so writers and readers go on meanwhile. Commits keep a backstop
/// (<see cref="DatabaseOptions.SqliteBackstopCheckpointPages"/>) so the log stays bounded if this falls behind. A failing
/// pass is logged, shown in health and retried with backoff; it never stops the host.
/// </summary>
public sealed partial class SqliteCheckpointer(DatabaseOptions options, TimeProvider clock, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    public SqliteCheckpointerHealth Health { get; } = new();

    /// <summary>Whether the last pass ran on a thread-pool thread (for the tests: it never should).</summary>
    internal bool? LastPassOnPoolThread { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SqliteCheckpointerOn) return;
        Health.Started();
        await Task.Yield();
        var interval = TimeSpan.FromMilliseconds(options.SqliteCheckpointIntervalMs);
        SqliteConnection? connection = null;
        var failures = 0;
        // A pass fsyncs the database file: it blocks this thread, not one of the pool's (SqliteWorkerThread).
        using var thread = new SqliteWorkerThread("SQLite checkpointer");
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(interval, clock, stoppingToken);
                    var (log, checkpointed) = await thread.RunAsync(() =>
                    {
                        connection ??= ConnectionFactory.OpenSqliteAsync(new SqliteConnection(options.ConnectionString), options, stoppingToken)
                            .GetAwaiter().GetResult();
                        LastPassOnPoolThread = Thread.CurrentThread.IsThreadPoolThread;
                        return Checkpoint(connection);
                    });
                    failures = 0;
                    Health.Passed(clock.GetUtcNow(), log, checkpointed);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    failures++;
                    PassFailed(logger, failures, ex);
                    Health.Failed(ex, failures);
                    if (connection is not null) ConnectionFactory.CloseSqlite(connection);
                    connection = null;
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures), 60)), clock, stoppingToken);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            if (connection is not null) ConnectionFactory.CloseSqlite(connection);
        }
    }

    /// <summary>One passive checkpoint: the log's frames, and how many of them are now in the database file.</summary>
    private static (long Log, long Checkpointed) Checkpoint(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var reader = command.ExecuteReader();
        reader.Read();
        // busy, log, checkpointed; -1 and -1 when the database is not in WAL mode.
        return (reader.GetInt64(1), reader.GetInt64(2));
    }

    [LoggerMessage(EventId = 1901, Level = LogLevel.Error, Message = "SQLite checkpoint pass failed ({Failures} in a row); commits still checkpoint past the backstop")]
    private static partial void PassFailed(ILogger logger, int failures, Exception exception);
}

/// <summary>What the checkpointer last did, for the readiness check (<see cref="Current"/>: one consistent reading).</summary>
public sealed class SqliteCheckpointerHealth
{
    private volatile State _state = new(false, 0, null, null, 0, 0);

    public State Current => _state;

    public bool Running => _state.Running;
    public int ConsecutiveFailures => _state.ConsecutiveFailures;
    public string? LastError => _state.LastError;
    public DateTimeOffset? LastPassAt => _state.LastPassAt;

    /// <summary>Frames in the log at the last pass, and how many of them it had copied into the database file.</summary>
    public long LogFrames => _state.LogFrames;
    public long CheckpointedFrames => _state.CheckpointedFrames;

    internal void Started() => _state = _state with { Running = true };

    internal void Passed(DateTimeOffset at, long log, long checkpointed) =>
        _state = _state with { ConsecutiveFailures = 0, LastPassAt = at, LogFrames = log, CheckpointedFrames = checkpointed };

    internal void Failed(Exception ex, int failures) =>
        _state = _state with { ConsecutiveFailures = failures, LastError = ex.GetType().Name };

    public sealed record State(bool Running, int ConsecutiveFailures, string? LastError, DateTimeOffset? LastPassAt, long LogFrames, long CheckpointedFrames);
}
