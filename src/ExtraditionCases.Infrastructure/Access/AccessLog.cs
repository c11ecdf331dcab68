using System.Data.Common;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExtraditionCases.Infrastructure.Access;

/// <summary>Configuration section AccessLog.</summary>
public sealed class AccessLogOptions
{
    public const string SectionName = "AccessLog";

    /// <summary>Entries queued and not yet stored, at most; a request past it is refused (fail closed) or its entry dropped and logged (fail open).</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Refuse requests to case data (503 with Retry-After) while their access could not be logged: the queue is full or writes are failing.</summary>
    public bool FailClosed { get; set; } = true;

    /// <summary>Distinct (client, status, minute) roll-ups held at once; past it, refusals roll up per status and minute only.</summary>
    public int RollUpKeys { get; set; } = 10_000;

    /// <summary>
    /// How long the writer gathers entries after the first of a batch before it commits (group commit; zero commits at
    /// once). Every commit costs a WAL write and an fsync, and on SQLite resets every reader's page cache; under
    /// load, a short window turns a thousand or more small commits a second into a couple of hundred. A longer window
    /// makes each commit a longer burst of the writer's CPU, which the requests in flight feel in their tail latency.
    /// An auditor's read (<see cref="AccessLog.FlushAsync"/>) ends the window at once.
    /// </summary>
    public TimeSpan CommitWindow { get; set; } = TimeSpan.FromMilliseconds(5);
}

/// <summary>
/// The access log. A request to case data takes a place in a bounded queue before it is served, so what is
/// acknowledged was queued; a background writer stores entries in batches, each all or nothing (on SQLite a write
/// of the writer gate's group commit, on SQL Server a transaction of its own), each entry a leaf of the access tree
/// (checkpointed and signed like the case trees). Stopping the host drains the queue before it returns, so nothing
/// acknowledged is lost on a clean shutdown (SIGTERM). While writes fail, the writer keeps the batch and retries, and
/// new requests are refused (503) rather than served unlogged. 401 and 429 outcomes (noise an unauthenticated flood makes) are rolled up per client and minute.
/// </summary>
public sealed partial class AccessLog(DatabaseOptions options, SqliteWriterGate writerGate, ILogger<AccessLog> logger, AccessLogOptions? settings = null)
    : IAccessLog, IHostedService, IAsyncDisposable
{
    private const int BatchSize = 500;

    /// <summary>
    /// On SQLite, the most entries a batch that joins the writers' group commit may hold (a few milliseconds of inserts):
    /// a request's write left open for the batch waits for them before its commit.
    /// </summary>
    private const int MaxEntriesInAGroup = 64;

    private readonly AccessLogOptions _settings = settings ?? new AccessLogOptions();
    private readonly Channel<AccessEntry> _queue = Channel.CreateUnbounded<AccessEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly AccessLogSql _sql = AccessLogSql.Statements.For(options.Provider);
    private readonly Dictionary<(string? Client, int Status, long Minute), AccessEntry> _rollUps = [];
    private readonly object _rollUpLock = new();
    private Task? _writer;
    // SQLite only: the batches' blocking calls (and the gate's release) run here, off the thread pool (SqliteWorkerThread).
    private SqliteWorkerThread? _sqliteThread;
    private volatile bool _failing;
    private volatile bool _stopping;

    // Completed to end the writer's commit window early (a flush, or stopping); replaced for each window.
    private TaskCompletionSource _windowEnd = NewWindowEnd();

    // Places taken: entries admitted or queued and not yet stored. Bounded by QueueCapacity.
    private long _taken;

    // Entries in the queue (recorded, not yet stored); places merely admitted are not.
    private long _queued;

    // Entries ever queued, and ever done with (stored, or given up at a failed shutdown): a flush waits until the second
    // reaches what the first was when it began, so entries recorded after it never keep it waiting. Counted before the
    // entry enters the queue: every entry ahead of one recorded before the flush is then counted in its target too.
    private long _recorded;
    private long _done;

    public bool FailClosed => _settings.FailClosed;

    /// <summary>Entries queued and not yet stored (for tests and health).</summary>
    public long Pending => Interlocked.Read(ref _taken);

    /// <summary>Whether the last write failed (the writer is retrying).</summary>
    public bool Failing => _failing;

    public bool TryAdmit()
    {
        if (_failing || _stopping) return false;
        if (Interlocked.Increment(ref _taken) <= _settings.QueueCapacity) return true;
        Interlocked.Decrement(ref _taken);
        return false;
    }

    public void Record(AccessEntry entry, bool admitted = false)
    {
        if (entry.Status is 401 or 429)
        {
            if (admitted) Interlocked.Decrement(ref _taken);
            RollUp(entry);
            return;
        }

        if (!admitted && !TryAdmitAfterwards())
        {
            Dropped(logger, entry.Method, entry.Endpoint, entry.Status);
            return;
        }

        Interlocked.Increment(ref _queued);
        Interlocked.Increment(ref _recorded);
        if (_queue.Writer.TryWrite(entry)) return;
        Interlocked.Decrement(ref _recorded);
        Interlocked.Decrement(ref _queued);
        Interlocked.Decrement(ref _taken);
        Dropped(logger, entry.Method, entry.Endpoint, entry.Status);
    }

    // An entry not admitted beforehand (fail open, or a path outside case data) still never grows the queue past its bound.
    private bool TryAdmitAfterwards()
    {
        if (Interlocked.Increment(ref _taken) <= _settings.QueueCapacity) return true;
        Interlocked.Decrement(ref _taken);
        return false;
    }

    private void RollUp(AccessEntry entry)
    {
        var minute = entry.At.ToUnixTimeSeconds() / 60;
        List<AccessEntry> complete;
        lock (_rollUpLock)
        {
            var key = (entry.ClientAddress, entry.Status, minute);
            if (!_rollUps.ContainsKey(key) && _rollUps.Count >= _settings.RollUpKeys) key = (null, entry.Status, minute);
            _rollUps[key] = _rollUps.TryGetValue(key, out var sum)
                ? sum with { Count = sum.Count + 1, Subject = null, TraceId = null, CaseId = null, ClientAddress = key.Item1 }
                : entry with { At = DateTimeOffset.FromUnixTimeSeconds(minute * 60), ClientAddress = key.Item1 };
            complete = TakeRollUps(m => m < minute);
        }

        foreach (var done in complete) Enqueue(done);
    }

    /// <summary>Roll-ups of the minutes chosen, removed from the table (under the lock).</summary>
    private List<AccessEntry> TakeRollUps(Func<long, bool> minutes)
    {
        var keys = _rollUps.Keys.Where(k => minutes(k.Minute)).ToList();
        var taken = keys.Select(k => _rollUps[k]).ToList();
        foreach (var k in keys) _rollUps.Remove(k);
        return taken;
    }

    private void FlushRollUps()
    {
        List<AccessEntry> all;
        lock (_rollUpLock) all = TakeRollUps(_ => true);
        foreach (var done in all) Enqueue(done);
    }

    // Roll-ups are few (bounded by RollUpKeys per minute): they are queued past the bound rather than lost.
    private void Enqueue(AccessEntry entry)
    {
        Interlocked.Increment(ref _taken);
        Interlocked.Increment(ref _queued);
        Interlocked.Increment(ref _recorded);
        if (_queue.Writer.TryWrite(entry)) return;
        Interlocked.Decrement(ref _recorded);
        Interlocked.Decrement(ref _taken);
        Interlocked.Decrement(ref _queued);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A window is milliseconds; a long one holds entries back from the access tree and widens what a crash loses.
        if (_settings.CommitWindow < TimeSpan.Zero || _settings.CommitWindow > TimeSpan.FromMinutes(1))
            throw new InvalidOperationException($"AccessLog:CommitWindow must be between 00:00:00 and 00:01:00; it is {_settings.CommitWindow}.");
        if (_writer is not null) throw new InvalidOperationException("The access log is already started.");
        if (options.Provider == DatabaseProvider.Sqlite) _sqliteThread = new SqliteWorkerThread("Access log writer (SQLite)");
        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        // Pairs with the writer's fence when it opens a window: one of the two sees the other's write.
        Interlocked.MemoryBarrier();
        FlushRollUps();
        Volatile.Read(ref _windowEnd).TrySetResult();
        _queue.Writer.TryComplete();
        try
        {
            if (_writer is not null) await _writer;
        }
        finally
        {
            _sqliteThread?.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>Waits (briefly) until everything queued so far is stored, so an auditor's read includes recent requests.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        FlushRollUps();
        var target = Interlocked.Read(ref _recorded);
        for (var i = 0; i < 400 && Interlocked.Read(ref _done) < target && _writer is { IsCompleted: false } && !_failing; i++)
        {
            // Each time round: the writer may have opened a new commit window since the last.
            Volatile.Read(ref _windowEnd).TrySetResult();
            await Task.Delay(5, cancellationToken);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<AccessEntry>(BatchSize);
        var failures = 0;
        var retrying = false;
        while (true)
        {
            // A batch kept after a failure is retried on its own; new entries are awaited only when empty.
            if (batch.Count == 0 && !await _queue.Reader.WaitToReadAsync()) break;
            Drain(batch);
            if (batch.Count < BatchSize && !retrying && _settings.CommitWindow > TimeSpan.Zero && !_stopping)
            {
                // Group commit: let entries gather for a moment, so a commit (its fsync, and the readers' page caches it
                // resets) is shared by many of them. A flush or a stop ends the window at once.
                var windowEnd = NewWindowEnd();
                // A full fence: a stop that sets _stopping after this either sees the new window or is seen below.
                Interlocked.Exchange(ref _windowEnd, windowEnd);
                if (!_stopping) await windowEnd.Task.WaitAsync(_settings.CommitWindow).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                Drain(batch);
            }

            try
            {
                await WriteAsync(batch);
            }
            catch (Exception ex) when (!_stopping || ++failures < 10)
            {
                // Keep the batch and try again: audit entries are not dropped while the service runs. Meanwhile
                // new requests are refused (fail closed), so nothing more is acknowledged than can be stored.
                _failing = true;
                retrying = true;
                WriteFailed(logger, ex, batch.Count);
                await Task.Delay(_stopping ? 200 : 500);
                continue;
            }
            catch (Exception ex)
            {
                // Stopping with a database that stays down: say loudly what is lost rather than hang the shutdown.
                Lost(logger, ex, batch.Count);
            }

            _failing = false;
            retrying = false;
            Interlocked.Add(ref _queued, -batch.Count);
            Interlocked.Add(ref _taken, -batch.Count);
            Interlocked.Add(ref _done, batch.Count);
            batch.Clear();
            failures = 0;
        }
    }

    private void Drain(List<AccessEntry> batch)
    {
        while (batch.Count < BatchSize && _queue.Reader.TryRead(out var entry)) batch.Add(entry);
    }

    private static TaskCompletionSource NewWindowEnd() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task WriteAsync(List<AccessEntry> batch)
    {
        if (batch.Count == 0) return;
        if (_sqliteThread is null)
        {
            // SQL Server: truly asynchronous, and no writer gate.
            await StoreAsync(batch);
            return;
        }

        // SQLite: the batch is one write of the writer gate's group commit, like a request's. A request's write that
        // ends while this batch waits for the gate leaves its group open for it, and the batch leaves the group open for
        // a request's write that waits: one fsync for both, where the batch's own transaction cost a second (issue 20).
        // The batch counts as stored only once the group commits; if the group fails, the batch is retried whole.
        // A large batch (a backlog after a stall) writes alone, after committing any open group, so that no request's
        // write waits behind its hundreds of inserts for the commit that acknowledges it.
        var transaction = await writerGate.EnterWriteAsync(options, alone: batch.Count > MaxEntriesInAGroup, CancellationToken.None);
        Exception? failed = null;
        Task<Task> leaving;
        try
        {
            leaving = _sqliteThread.RunAsync(() =>
            {
                // The blocking calls (the inserts and, when this batch ends the group, its commit and fsync) on the
                // writer's thread, not on a pool that may be busy with requests while filings wait for the gate.
                try
                {
                    InsertAsync(batch, transaction.Connection!, transaction).GetAwaiter().GetResult();
                }
                catch (Exception ex)
                {
                    failed = ex;
                }

                return writerGate.LeaveWriteAsync(succeeded: failed is null);
            });
        }
        catch
        {
            // The writer's thread is gone (a shutdown): end the write here, so the gate is released.
            try
            {
                await writerGate.LeaveWriteAsync(succeeded: false);
            }
            catch (Exception)
            {
                // The first failure is the one to report.
            }

            throw;
        }

        await await leaving;
        if (failed is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
    }

    /// <summary>SQL Server: the batch in one transaction of its own.</summary>
    private async Task StoreAsync(List<AccessEntry> batch)
    {
        await using var connection = await ConnectionFactory.OpenAsync(options, CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        await InsertAsync(batch, connection, transaction);
        await transaction.CommitAsync();
    }

    /// <summary>The batch's entries and their leaves, after the access tree's last leaf (locked on SQL Server).</summary>
    private async Task InsertAsync(List<AccessEntry> batch, DbConnection connection, DbTransaction transaction)
    {
        var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition(_sql.LockTree, null, transaction));
        // One insert for the whole batch, run per entry: an entry and its leaf (the next index, the id just inserted).
        if (connection is SqliteConnection sqlite)
        {
            // The writer gate's connection keeps the compiled statements from batch to batch.
            var kept = sqlite as CachedStatementsConnection;
            var insert = kept?.Keep(_sql.InsertWithLeaf, c => new SqliteAccessLogInsert(c, _sql.InsertWithLeaf))
                ?? new SqliteAccessLogInsert(sqlite, _sql.InsertWithLeaf);
            try
            {
                for (var i = 0; i < batch.Count; i++) insert.Execute(batch[i], CaseIdsOf(batch[i]), HashOf(batch[i]), last + 1 + i);
            }
            finally
            {
                if (kept is null) insert.Dispose();
            }

            return;
        }

        await using var command = new AccessLogInsert(connection, transaction, _sql.InsertWithLeaf);
        for (var i = 0; i < batch.Count; i++) await command.ExecuteAsync(batch[i], CaseIdsOf(batch[i]), HashOf(batch[i]), last + 1 + i);
    }

    // An empty list (a page that returned no cases) is stored as [], as its leaf hashes it: NULL would read back as
    // "no list" and no longer match the leaf.
    private static string? CaseIdsOf(AccessEntry e) =>
        e.CaseIds is { } ids ? new JsonArray([.. ids.Select(id => (JsonNode)id.ToString())]).ToJsonString() : null;

    /// <summary>The entry's leaf in the access tree (<see cref="AccessEntryHash"/>).</summary>
    public static string HashOf(AccessEntry e) => AccessEntryHash.Of(e);

    [LoggerMessage(Level = LogLevel.Error, Message = "Access log entry could not be queued: {Method} {Endpoint} {Status}")]
    private static partial void Dropped(ILogger logger, string method, string endpoint, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} access log entries failed; retrying")]
    private static partial void WriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Count} access log entries could not be stored after repeated attempts at shutdown")]
    private static partial void Lost(ILogger logger, Exception exception, int count);
}
