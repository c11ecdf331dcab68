using System.Text.Json;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExtraditionCases.Api.Http;

/// <summary>
/// Ready means the database answers and holds every migration this build ships: a replica that cannot
/// reach it, or that was started against a database the one-shot <c>migrate</c> has not brought up to
/// date yet, takes no traffic. The check is bounded by <c>Health:ReadyTimeoutSeconds</c> (its registration).
/// </summary>
public sealed class DatabaseHealthCheck(DatabaseOptions options, Migrator migrator, SqliteCheckpointer checkpointer) : IHealthCheck
{
    // The SQLite provider and DbUp block their thread while waiting on a lock, so the check runs on the
    // thread pool and is abandoned, not awaited, when the registration's timeout cancels the token.
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.Run(() => CheckAsync(cancellationToken), cancellationToken).WaitAsync(cancellationToken);

    private async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using (var connection = await ConnectionFactory.OpenAsync(options, cancellationToken))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(cancellationToken);
            }

            var pending = migrator.PendingScripts();
            var data = new Dictionary<string, object> { ["provider"] = options.Provider.ToString(), ["pendingMigrations"] = pending };
            var checkpoints = checkpointer.Health.Current;
            if (options.SqliteCheckpointerOn)
            {
                data["checkpointFailures"] = checkpoints.ConsecutiveFailures;
                data["walFrames"] = checkpoints.LogFrames;
            }

            if (pending.Count > 0)
                return HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied yet: run the migrate command.", data: data);
            // Still serving: commits checkpoint past the backstop, so the log stays bounded, at the cost of the tail.
            return options.SqliteCheckpointerOn && checkpoints.ConsecutiveFailures > 0
                ? HealthCheckResult.Degraded($"SQLite checkpoints are failing ({checkpoints.ConsecutiveFailures} passes in a row: {checkpoints.LastError}); commits checkpoint past the backstop instead.", data: data)
                : HealthCheckResult.Healthy("The database answers and is migrated.", data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception is not shown: connection errors can carry server names and logins. (A
            // timeout cancels the token; the health service reports it as a timeout, unhealthy.)
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}

/// <summary>The readiness answer as JSON for operators: overall status and each check's status, description, data and duration.</summary>
public static class HealthJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            durationMs = (long)report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = (long)e.Value.Duration.TotalMilliseconds,
                data = e.Value.Data,
            }),
        }, Options);
    }
}
