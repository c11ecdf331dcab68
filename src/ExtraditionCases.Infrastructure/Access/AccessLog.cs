using System.Threading.Channels;
using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExtraditionCases.Infrastructure.Access;

/// <summary>
/// The access log. Requests only enqueue; a background writer stores entries in batches, one
/// transaction per batch, so reads stay fast. Stopping the host drains the queue before it returns:
/// nothing queued is lost on a clean shutdown. (A crash can lose the last, unwritten batch: the
/// trade-off for keeping audit writes off the read path.)
/// </summary>
public sealed partial class AccessLog(DatabaseOptions options, SqliteWriterGate writerGate, ILogger<AccessLog> logger)
    : IAccessLog, IHostedService, IAsyncDisposable
{
    private const int BatchSize = 500;
    private readonly Channel<AccessEntry> _queue = Channel.CreateUnbounded<AccessEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly AccessLogSql _sql = AccessLogSql.Statements.For(options.Provider);
    private Task? _writer;

    private long _unwritten;

    public void Record(AccessEntry entry)
    {
        Interlocked.Increment(ref _unwritten);
        if (_queue.Writer.TryWrite(entry)) return;
        Interlocked.Decrement(ref _unwritten);
        Dropped(logger, entry.Method, entry.Endpoint, entry.Status);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_writer is not null) await _writer;
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>Waits (briefly) until everything queued so far is stored, so an auditor's read includes recent requests.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 400 && Interlocked.Read(ref _unwritten) > 0 && _writer is { IsCompleted: false }; i++)
            await Task.Delay(5, cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<AccessEntry>(BatchSize);
        var failures = 0;
        while (true)
        {
            // A batch kept after a failure is retried on its own; new entries are awaited only when empty.
            if (batch.Count == 0 && !await _queue.Reader.WaitToReadAsync()) break;
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var entry)) batch.Add(entry);

            try
            {
                await WriteAsync(batch);
            }
            catch (Exception ex) when (++failures < 10)
            {
                // Keep the batch and try again: audit entries are not dropped on a transient fault.
                WriteFailed(logger, ex, batch.Count);
                await Task.Delay(500);
                continue;
            }
            catch (Exception ex)
            {
                // A persistent fault must not hang shutdown: say loudly what is lost.
                Lost(logger, ex, batch.Count);
            }

            Interlocked.Add(ref _unwritten, -batch.Count);
            batch.Clear();
            failures = 0;
        }
    }

    private async Task WriteAsync(List<AccessEntry> batch)
    {
        if (batch.Count == 0) return;
        var gated = options.Provider == DatabaseProvider.Sqlite;
        if (gated) await writerGate.Gate.WaitAsync();
        try
        {
            await using var connection = await ConnectionFactory.OpenAsync(options, CancellationToken.None);
            await using var transaction = connection is SqliteConnection sqlite
                ? sqlite.BeginTransaction(deferred: false)
                : await connection.BeginTransactionAsync();
            // One command for the whole batch: Dapper's multi-execute reuses the command and its
            // parameters for every row instead of building them per entry.
            await connection.ExecuteAsync(new CommandDefinition(_sql.Insert, batch.Select(e => new
            {
                e.At, e.Subject, e.Role, e.Country, e.CaseId, e.Method, e.Endpoint, e.Status, e.TraceId, e.ClientAddress, e.Issuer,
            }), transaction));

            await transaction.CommitAsync();
        }
        finally
        {
            if (gated) writerGate.Gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Access log entry could not be queued: {Method} {Endpoint} {Status}")]
    private static partial void Dropped(ILogger logger, string method, string endpoint, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} access log entries failed; retrying")]
    private static partial void WriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Count} access log entries could not be stored after repeated attempts")]
    private static partial void Lost(ILogger logger, Exception exception, int count);
}
