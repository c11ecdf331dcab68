using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using ExtraditionCases.Application.Features.Webhooks;
using ExtraditionCases.Domain;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace ExtraditionCases.Infrastructure.Webhooks;

/// <summary>
/// Sends the outbox. Each pass claims the head delivery of every subscription that has one due (a lease,
/// so no other instance sends it meanwhile), posts them concurrently through the named client (10 s
/// timeout, no redirects, at most 64 KiB of the answer read), and settles them in short transactions:
/// delivered, or retried later with backoff, the subscription disabled once it has failed for the whole
/// failure window. A subscription with a backlog is sent in runs, each settled in one transaction
/// (DeliverAsync). The missed-clock sweep runs from the same loop. A failing pass is logged,
/// shown in health and retried with backoff: nothing here stops the host.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes, IHttpClientFactory httpClients, TimeProvider clock, WebhookOptions options, WebhookSignal signal,
    WebhookMetrics metrics, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string ClientName = "webhooks";
    public const int MaxResponseBytes = 64 * 1024;

    private static readonly TimeSpan BacklogEvery = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many deliveries of one subscription a send task chains before it hands its place back to the loop's
    /// claim, so that subscriptions with long backlogs cannot keep every place from the others.
    /// </summary>
    private const int ChainLimit = 50;

    /// <summary>
    /// The most deliveries of one subscription sent between two commits. Longer runs commit less often; a crash sends
    /// more again.
    /// </summary>
    private const int RunLength = 16;
    private readonly ConcurrentDictionary<Guid, Task> _inFlight = new();

    public WebhookDispatcherHealth Health { get; } = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.DispatcherEnabled) return;
        Health.Started();
        await Task.Yield();
        DateTimeOffset nextSweep = DateTimeOffset.MinValue, nextBacklog = DateTimeOffset.MinValue;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = clock.GetUtcNow();
                if (now >= nextSweep)
                {
                    await SweepAsync(stoppingToken);
                    nextSweep = now.AddSeconds(options.SweepIntervalSeconds);
                }

                await StartDueAsync(stoppingToken);
                if (now >= nextBacklog)
                {
                    await RefreshBacklogAsync(stoppingToken);
                    nextBacklog = now + BacklogEvery;
                }

                failures = 0;
                Health.Passed(now);
                await signal.WaitAsync(TimeSpan.FromMilliseconds(options.PollIntervalMilliseconds), clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                Health.Failed(clock.GetUtcNow(), ex, failures);
                PassFailed(logger, failures, ex);
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

        // Sends in flight finish (each is bounded by the timeout); one cut short by a crash is sent again after its lease.
        await Task.WhenAll(_inFlight.Values);
    }

    /// <summary>Claims and sends every due delivery, head by head, until none is due; the number sent. For tests and benchmarks.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var claimed = await ClaimAsync(options.MaxInFlight, cancellationToken);
            if (claimed.Count == 0) return total;
            total += (await Task.WhenAll(claimed.Select(DeliverAsync))).Sum();
        }
    }

    /// <summary>Announces ran-out clocks to their subscribers, a batch per transaction.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        int announced, total = 0;
        do
        {
            await using var scope = scopes.CreateAsyncScope();
            var session = scope.ServiceProvider.GetRequiredService<DatabaseSession>();
            await session.BeginBatchAsync(cancellationToken);
            try
            {
                announced = await scope.ServiceProvider.GetRequiredService<WebhookOutbox>().SweepAsync(clock.GetUtcNow(), cancellationToken);
                await session.CommitAsync(cancellationToken);
            }
            catch
            {
                await session.RollbackAsync(CancellationToken.None);
                throw;
            }

            total += announced;
        }
        while (announced == WebhookOutbox.SweepBatch);

        return total;
    }

    /// <summary>Refreshes the backlog gauges: pending deliveries of enabled subscriptions and the oldest one's age.</summary>
    public async Task RefreshBacklogAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DatabaseSession>();
        var connection = await session.ConnectionAsync(cancellationToken);
        var backlog = await connection.QuerySingleAsync<BacklogRow>(new CommandDefinition(Sql(session).Backlog, cancellationToken: cancellationToken));
        metrics.Backlog(backlog.Pending, backlog.OldestCreatedAt is { } oldest ? clock.GetUtcNow() - oldest : TimeSpan.Zero);
    }

    private async Task StartDueAsync(CancellationToken cancellationToken)
    {
        var room = options.MaxInFlight - _inFlight.Count;
        if (room <= 0) return;
        foreach (var delivery in await ClaimAsync(room, cancellationToken))
        {
            // Not tied to the stopping token: a started send finishes and is settled (the timeout bounds it).
            var send = Task.Run(() => DeliverAsync(delivery), CancellationToken.None);
            _inFlight[delivery.Id] = send;
            _ = send.ContinueWith(_ =>
            {
                _inFlight.TryRemove(delivery.Id, out Task? _);
                signal.Notify();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task<IReadOnlyList<Claimed>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DatabaseSession>();
        var now = clock.GetUtcNow();
        await session.BeginAsync(cancellationToken);
        try
        {
            var connection = await session.ConnectionAsync(cancellationToken);
            var token = Guid.NewGuid();
            var claimed = (await connection.QueryAsync<Claimed>(new CommandDefinition(Sql(session).Claim,
                new { Token = token, LeaseUntil = now + options.Lease, Now = now, Limit = limit }, session.Transaction,
                cancellationToken: cancellationToken))).AsList();
            await session.CommitAsync(cancellationToken);
            foreach (var delivery in claimed) (delivery.LeaseToken, delivery.LeaseUntil) = (token, now + options.Lease);
            return claimed;
        }
        catch
        {
            await session.RollbackAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Sends a claimed head and, while each succeeds, runs of the subscription's next deliveries, each run leased in
    /// the settlement of the one before; the number of deliveries sent. A run is sent in order, one delivery after the
    /// one before was acknowledged, and settled in one transaction: one commit for up to <see cref="RunLength"/>
    /// deliveries. A crash before the settlement sends the run again after its lease, with the same ids (at least once).
    /// </summary>
    private async Task<int> DeliverAsync(Claimed first)
    {
        var sent = 0;
        IReadOnlyList<Claimed> run = [first];
        while (run.Count > 0)
        {
            try
            {
                var attempts = new List<Attempted>(run.Count);
                foreach (var delivery in run)
                {
                    // A send begun later could outlast the lease, or leave its settlement no time before another
                    // dispatcher takes the run over and sends it all again.
                    if (clock.GetUtcNow() + options.Timeout + SettlementMargin > delivery.LeaseUntil) break;
                    // Read for each delivery, as before runs: a URL or secret changed mid-run applies to the next send.
                    if (await TargetAsync(delivery) is not { } target) break;
                    var outcome = await SendAsync(delivery, target);
                    attempts.Add(new Attempted(delivery, outcome, clock.GetUtcNow()));
                    if (!outcome.Delivered) break;
                }

                sent += attempts.Count;
                run = await SettleWithRetryAsync(run, attempts, nextRun: Math.Min(RunLength, ChainLimit - sent));
            }
            catch (Exception ex)
            {
                // The database failed around the send: the leases run out and the deliveries are claimed again.
                SettleFailed(logger, run[0].Id, ex);
                Health.Failed(clock.GetUtcNow(), ex, 1);
                return sent;
            }
        }

        return sent;
    }

    // Half of what the lease leaves after the longest send (25 s by default): never all of it, so a fresh run always
    // begins, whatever Webhooks:LeaseSeconds is.
    private TimeSpan SettlementMargin => (options.Lease - options.Timeout) / 2;

    /// <summary>
    /// On SQL Server a settlement can be chosen as a deadlock's victim (1205): another replica's claim holds an update
    /// lock on a row of the next run while it reads the rows this settlement has just written. Nothing of the victim's
    /// transaction is kept, and the claim finishes once it is gone, so the settlement is run again rather than leaving
    /// acknowledged deliveries to be sent again after their lease.
    /// </summary>
    private async Task<IReadOnlyList<Claimed>> SettleWithRetryAsync(IReadOnlyList<Claimed> run, IReadOnlyList<Attempted> attempts, int nextRun)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                return await SettleAsync(run, attempts, nextRun);
            }
            catch (Microsoft.Data.SqlClient.SqlException ex) when (ex.Number == 1205 && tries < 3)
            {
                SettlementDeadlocked(logger, run[0].Id, tries);
            }
        }
    }

    private async Task<TargetRow?> TargetAsync(Claimed delivery)
    {
        await using var scope = scopes.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DatabaseSession>();
        var connection = await session.ConnectionAsync(CancellationToken.None);
        return await connection.QuerySingleOrDefaultAsync<TargetRow>(new CommandDefinition(Sql(session).Target, new { Id = delivery.SubscriptionId }));
    }

    private async Task<Outcome> SendAsync(Claimed delivery, TargetRow target)
    {
        var now = clock.GetUtcNow();
        var webhookId = ListDeliveries.WebhookIdOf(delivery.Id);
        var timestamp = now.ToUnixTimeSeconds();
        var secrets = target.PreviousSecret is { } previous && target.PreviousSecretExpiresAt > now ? new[] { target.Secret, previous } : [target.Secret];
        var client = httpClients.CreateClient(ClientName);
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("webhook-id", webhookId);
            request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSignature.Header(secrets, webhookId, timestamp, delivery.Payload));
            request.Headers.UserAgent.ParseAdd("ExtraditionCases-Webhooks/1");

            // The resilience pipeline's timeout bounds the request up to the answer's headers; the same budget bounds reading the answer.
            using var budget = new CancellationTokenSource(options.Timeout, clock);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, budget.Token);
            await DrainAsync(response, budget.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new Outcome(true, status, watch.Elapsed, null)
                : new Outcome(false, status, watch.Elapsed, status is >= 300 and < 400 ? $"HTTP {status}: redirects are not followed." : $"HTTP {status}.");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new Outcome(false, null, watch.Elapsed, Describe(ex));
        }
    }

    /// <summary>Reads at most 64 KiB of the answer, so a connection can be reused; the rest is abandoned with the connection.</summary>
    private static async Task DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[8192];
        var total = 0;
        int read;
        while (total < MaxResponseBytes && (read = await body.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, MaxResponseBytes - total)), cancellationToken)) > 0)
            total += read;
    }

    private string Describe(Exception ex) => ex switch
    {
        TimeoutRejectedException or OperationCanceledException => $"Timed out after {options.TimeoutSeconds} s.",
        HttpRequestException { InnerException: WebhookDestinationRefusedException refused } => $"Refused: {refused.Message}",
        WebhookDestinationRefusedException refused => $"Refused: {refused.Message}",
        HttpRequestException http => $"Connection failed ({http.HttpRequestError}).",
        _ => $"Failed ({ex.GetType().Name}).",
    };

    /// <summary>
    /// Records a run's attempts and hands back its unsent deliveries; when the last attempt succeeded, leases and
    /// returns the subscription's next run (up to <paramref name="nextRun"/> deliveries that are due; none if zero).
    /// </summary>
    private async Task<IReadOnlyList<Claimed>> SettleAsync(IReadOnlyList<Claimed> run, IReadOnlyList<Attempted> attempts, int nextRun)
    {
        await using var scope = scopes.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DatabaseSession>();
        var sql = Sql(session);
        var now = clock.GetUtcNow();
        var subscriptionId = run[0].SubscriptionId;
        var token = run[0].LeaseToken;
        var disabled = false;
        List<Claimed> next = [];
        await session.BeginAsync(CancellationToken.None);
        try
        {
            var connection = await session.ConnectionAsync(CancellationToken.None);
            foreach (var (delivery, outcome, at) in attempts)
            {
                var attempt = delivery.Attempts + 1;
                var latencyMs = (int)Math.Min(outcome.Latency.TotalMilliseconds, int.MaxValue);
                var settled = await connection.ExecuteAsync(new CommandDefinition(sql.Settle, new
                {
                    delivery.Id,
                    Token = token,
                    Status = outcome.Delivered ? "Delivered" : "Pending",
                    NextAttemptAt = outcome.Delivered ? at : at + WebhookRetry.After(attempt, Random.Shared.NextDouble()),
                    DeliveredAt = outcome.Delivered ? at : (DateTimeOffset?)null,
                    At = at,
                    outcome.StatusCode,
                    LatencyMs = latencyMs,
                    outcome.Error,
                }, session.Transaction));
                if (settled == 0)
                {
                    // The lease ran out and another pass took the run over: its outcomes are the ones kept.
                    await session.RollbackAsync(CancellationToken.None);
                    return [];
                }

                await connection.ExecuteAsync(new CommandDefinition(sql.InsertAttempt, new
                {
                    DeliveryId = delivery.Id,
                    Attempt = attempt,
                    delivery.SubscriptionId,
                    delivery.Seq,
                    At = at,
                    Outcome = outcome.Delivered ? "Delivered" : "Failed",
                    outcome.StatusCode,
                    LatencyMs = latencyMs,
                    outcome.Error,
                }, session.Transaction));
            }

            foreach (var unsent in run.Skip(attempts.Count))
                await connection.ExecuteAsync(new CommandDefinition(sql.Release, new { unsent.Id, Token = token }, session.Transaction));

            if (attempts is [{ Outcome.Delivered: true }, ..])
                await connection.ExecuteAsync(new CommandDefinition(sql.ClearFailing, new { Id = subscriptionId }, session.Transaction));
            // Nothing sent (the lease ran short, or the subscription is gone): the run was handed back whole above.
            if (attempts is [.., { Outcome.Delivered: true }])
            {
                if (nextRun > 0)
                {
                    var leaseUntil = now + options.Lease;
                    next = (await connection.QueryAsync<Claimed>(new CommandDefinition(sql.ClaimRun,
                        new { SubscriptionId = subscriptionId, Token = token, LeaseUntil = leaseUntil, Now = now, Limit = nextRun }, session.Transaction))).AsList();
                    next.Sort((x, y) => x.Seq.CompareTo(y.Seq));
                    foreach (var leased in next) (leased.LeaseToken, leased.LeaseUntil) = (token, leaseUntil);
                }
            }
            else if (attempts is [.., { Outcome.Delivered: false } failed])
            {
                await connection.ExecuteAsync(new CommandDefinition(sql.MarkFailing, new { Id = subscriptionId, At = now }, session.Transaction));
                var since = await connection.QuerySingleAsync<DateTimeOffset>(new CommandDefinition(sql.FailingSince, new { Id = subscriptionId }, session.Transaction));
                if (now - since >= options.FailureWindow)
                {
                    var reason = $"Disabled at {Instant.ToText(now)}: every delivery failed since {Instant.ToText(since)}. Last attempt: {failed.Outcome.Error}";
                    disabled = await connection.ExecuteAsync(new CommandDefinition(sql.Disable, new { Id = subscriptionId, Reason = reason, At = now }, session.Transaction)) == 1;
                }
            }

            await session.CommitAsync(CancellationToken.None);
        }
        catch
        {
            try
            {
                await session.RollbackAsync(CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // The server already ended the transaction (a deadlock's victim): the error that ended it is the one to tell.
            }

            throw;
        }

        foreach (var (delivery, outcome, at) in attempts)
        {
            if (outcome.Delivered)
            {
                metrics.DeliveryMade(at - delivery.CreatedAt);
            }
            else
            {
                metrics.AttemptFailed();
                AttemptFailed(logger, delivery.Id, delivery.SubscriptionId, delivery.Attempts + 1, outcome.Error ?? "");
            }
        }

        if (disabled)
        {
            metrics.SubscriptionDisabled();
            SubscriptionDisabled(logger, subscriptionId);
        }

        return next;
    }

    private static WebhookSql Sql(DatabaseSession session) => WebhookSql.Statements.For(session.Provider);

    public sealed class Claimed
    {
        public Guid Id { get; init; }
        public Guid SubscriptionId { get; init; }
        public long Seq { get; init; }
        public string EventType { get; init; } = "";
        public string Payload { get; init; } = "";
        public int Attempts { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        /// <summary>Not a column: the token the claim wrote, carried to the settlement.</summary>
        public Guid LeaseToken { get; set; }

        /// <summary>Not a column: when the claim's lease runs out.</summary>
        public DateTimeOffset LeaseUntil { get; set; }
    }

    private sealed record Outcome(bool Delivered, int? StatusCode, TimeSpan Latency, string? Error);

    /// <summary>A delivery sent, its outcome and when it came back.</summary>
    private sealed record Attempted(Claimed Delivery, Outcome Outcome, DateTimeOffset At);

    private sealed class TargetRow
    {
        public string Url { get; init; } = "";
        public string Secret { get; init; } = "";
        public string? PreviousSecret { get; init; }
        public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
    }

    private sealed class BacklogRow
    {
        public long Pending { get; init; }
        public DateTimeOffset? OldestCreatedAt { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook dispatch pass failed ({Failures} in a row); backing off")]
    private static partial void PassFailed(ILogger logger, int failures, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Settling webhook delivery {DeliveryId} failed; it is sent again after its lease")]
    private static partial void SettleFailed(ILogger logger, Guid deliveryId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling the webhook run that begins with delivery {DeliveryId} was a deadlock's victim (try {Tries}); settling it again")]
    private static partial void SettlementDeadlocked(ILogger logger, Guid deliveryId, int tries);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} of subscription {SubscriptionId}, attempt {Attempt}, failed: {Error}")]
    private static partial void AttemptFailed(ILogger logger, Guid deliveryId, Guid subscriptionId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId} disabled: its deliveries failed for the whole failure window")]
    private static partial void SubscriptionDisabled(ILogger logger, Guid subscriptionId);
}

/// <summary>What the health endpoint shows of the dispatcher: whether its passes succeed, and the last failure.</summary>
public sealed class WebhookDispatcherHealth
{
    private volatile State _state = new(false, 0, null, null, null);

    public bool Running => _state.Running;
    public int ConsecutiveFailures => _state.ConsecutiveFailures;
    public string? LastError => _state.LastError;
    public DateTimeOffset? LastPassAt => _state.LastPassAt;
    public DateTimeOffset? LastFailureAt => _state.LastFailureAt;

    internal void Started() => _state = _state with { Running = true };

    internal void Passed(DateTimeOffset at) => _state = _state with { ConsecutiveFailures = 0, LastPassAt = at };

    internal void Failed(DateTimeOffset at, Exception ex, int failures) =>
        _state = _state with { ConsecutiveFailures = failures, LastError = ex.GetType().Name, LastFailureAt = at };

    private sealed record State(bool Running, int ConsecutiveFailures, string? LastError, DateTimeOffset? LastPassAt, DateTimeOffset? LastFailureAt);
}
