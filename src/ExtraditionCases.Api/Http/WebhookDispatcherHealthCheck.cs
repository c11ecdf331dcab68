using ExtraditionCases.Infrastructure.Webhooks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExtraditionCases.Api.Http;

/// <summary>
/// Degraded (still 200, so the replica keeps taking requests) while the webhook dispatcher's passes fail:
/// the service serves cases without it, and deliveries wait in the outbox until it recovers.
/// </summary>
public sealed class WebhookDispatcherHealthCheck(WebhookDispatcher dispatcher) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = dispatcher.Health;
        var data = new Dictionary<string, object>
        {
            ["running"] = health.Running,
            ["consecutiveFailures"] = health.ConsecutiveFailures,
        };
        if (health.LastError is { } error) data["lastError"] = error;
        return Task.FromResult(health.ConsecutiveFailures > 0
            ? HealthCheckResult.Degraded($"Webhook dispatch is failing ({health.ConsecutiveFailures} passes in a row: {health.LastError}); deliveries wait in the outbox.", data: data)
            : HealthCheckResult.Healthy(health.Running ? "Webhook dispatch is running." : "Webhook dispatch is off on this instance.", data));
    }
}
