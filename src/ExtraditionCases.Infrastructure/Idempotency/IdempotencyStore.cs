using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExtraditionCases.Infrastructure.Idempotency;

public sealed class IdempotencyStore(DatabaseSession session) : IIdempotencyStore
{
    private readonly IdempotencySql _sql = IdempotencySql.Statements.For(session.Provider);

    public async Task<StoredResponse?> FindAsync(Caller caller, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(_sql.Find,
            new { KeyHash = KeyHash(caller, key), Now = now }, session.Transaction, cancellationToken: cancellationToken));
        return row is null ? null : new StoredResponse(row.Fingerprint.Trim(), row.Body);
    }

    public async Task SaveAsync(Caller caller, string key, StoredResponse response, DateTimeOffset createdAt, DateTimeOffset expiresAt,
        CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        var keyHash = KeyHash(caller, key);
        // A key past its 24 hours may be reused before the hourly purge has removed it.
        await connection.ExecuteAsync(new CommandDefinition(_sql.ReplaceExpired, new { KeyHash = keyHash, Now = createdAt },
            session.Transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(_sql.Insert, new
        {
            KeyHash = keyHash,
            caller.Issuer,
            caller.Subject,
            IdemKey = key,
            response.Fingerprint,
            response.Body,
            CreatedAt = createdAt,
            ExpiresAt = expiresAt,
        }, session.Transaction, cancellationToken: cancellationToken));
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(_sql.Purge, new { Now = now }, session.Transaction, cancellationToken: cancellationToken));
    }

    // Scoped to issuer + subject: the same sub from another state's identity provider is another caller.
    // (Keys stored before issuers were part of the hash are not found again: at most 24 hours of them.)
    private static string KeyHash(Caller caller, string key) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{caller.Issuer}\n{caller.Subject}\n{key}")));

    private sealed class Row
    {
        public string Fingerprint { get; init; } = "";
        public string Body { get; init; } = "";
    }
}

/// <summary>Removes idempotency keys past their 24 hours, hourly, in its own short transactions.</summary>
public sealed partial class IdempotencyCleanup(IServiceScopeFactory scopes, TimeProvider clock, ILogger<IdempotencyCleanup> logger) : BackgroundService
{
    private const int PurgeBatch = 5000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                // SQL Server deletes in batches of 5000 (short transactions, small lock footprint): repeat
                // until a batch comes back short, so any backlog is cleared in one run.
                int purged, total = 0;
                do
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var session = scope.ServiceProvider.GetRequiredService<DatabaseSession>();
                    var store = scope.ServiceProvider.GetRequiredService<IIdempotencyStore>();
                    await session.BeginBatchAsync(stoppingToken);
                    purged = await store.PurgeExpiredAsync(clock.GetUtcNow(), stoppingToken);
                    await session.CommitAsync(stoppingToken);
                    total += purged;
                }
                while (purged >= PurgeBatch);

                if (total > 0) Purged(logger, total);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                PurgeFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired idempotency keys")]
    private static partial void Purged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired idempotency keys failed; will retry")]
    private static partial void PurgeFailed(ILogger logger, Exception exception);
}
