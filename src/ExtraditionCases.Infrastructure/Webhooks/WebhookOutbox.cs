using Dapper;
using ExtraditionCases.Application.Features.Partners;
using ExtraditionCases.Application.Features.Webhooks;
using ExtraditionCases.Application.History;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Webhooks;

/// <summary>
/// Writes deliveries into the outbox, always inside the caller's transaction: the case store's save (one
/// row per subscriber and event, so no event commits without its deliveries and no delivery without its
/// event) and the missed-clock sweep (one row per subscriber and clock).
/// </summary>
public sealed class WebhookOutbox(DatabaseSession session, WebhookSignal signal)
{
    /// <summary>How many ran-out clocks one sweep transaction announces.</summary>
    public const int SweepBatch = 100;

    /// <summary>Clocks that ran out longer ago than this are not announced (a service that was down for days does not flood).</summary>
    public static readonly TimeSpan SweepHorizon = TimeSpan.FromDays(3);

    private readonly WebhookSql _sql = WebhookSql.Statements.For(session.Provider);

    /// <summary>The deliveries of <paramref name="events"/> of <paramref name="c"/>, one per subscriber that wants each; called last in the save.</summary>
    public async Task AppendAsync(ExtraditionCase c, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return;
        var subscribers = await SubscribersAsync(c.Id, c.File.RequestingState, c.File.RequestedState, cancellationToken);
        if (subscribers.Count == 0) return;

        var enqueued = false;
        // Subscriptions in one fixed order (each one's position lock is then taken in that order), events in sequence.
        foreach (var subscriber in subscribers)
        {
            foreach (var e in events.Where(e => WebhookEventTypes.Accepts(subscriber.EventTypes, e.Type)))
            {
                await EnqueueAsync(subscriber.Id, e.Type, c.Id, e.Sequence, WebhookPayloads.ForEvent(c, e), e.RecordedAt, cancellationToken);
                enqueued = true;
            }
        }

        // Before the commit: on SQLite the dispatcher's claim queues behind this transaction at the writer gate.
        if (enqueued) signal.Notify();
    }

    /// <summary>Announces clocks that ran out since the last sweep, once each; the caller's transaction commits them. The number announced.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        var clocks = (await connection.QueryAsync<ClockRow>(Command(_sql.RanOutClocks,
            new { Now = now, Since = now - SweepHorizon, Limit = SweepBatch }, cancellationToken))).ToList();
        var enqueued = false;
        foreach (var clock in clocks)
        {
            await connection.ExecuteAsync(Command(_sql.NoteClock, new { clock.CaseId, clock.Ordinal, clock.DueAt, Now = now }, cancellationToken));
            // A subscriber learns of clocks that ran out after it subscribed.
            var subscribers = (await SubscribersAsync(clock.CaseId, clock.RequestingState, clock.RequestedState, cancellationToken))
                .Where(s => s.CreatedAt < clock.DueAt && WebhookEventTypes.Accepts(s.EventTypes, WebhookEventTypes.DeadlineMissed)).ToList();
            if (subscribers.Count == 0) continue;

            var status = await session.QuerySingleOrDefaultAsync<StatusRow>(GetCaseStatus.Sql.Status, new { Id = clock.CaseId, Now = now }, cancellationToken);
            if (status is null) continue;
            var payload = WebhookPayloads.ForMissedClock(
                new WebhookPayloads.Status(status.Id, status.Reference, status.State, status.StateSince, status.Version, status.UpdatedAt, status.NextKind, status.NextDueAt),
                Enum.Parse<DeadlineKind>(clock.Kind), clock.StartedAt, clock.DueAt, clock.Statute, clock.Advisory, now);
            foreach (var subscriber in subscribers)
                await EnqueueAsync(subscriber.Id, WebhookEventTypes.DeadlineMissed, clock.CaseId, status.Version, payload, now, cancellationToken);
            enqueued = true;
        }

        if (enqueued) signal.Notify();
        return clocks.Count;
    }

    private async Task<IReadOnlyList<SubscriberRow>> SubscribersAsync(Guid caseId, string requestingState, string requestedState, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<SubscriberRow>(Command(_sql.Subscribers,
            new { CaseId = caseId, RequestingState = requestingState, RequestedState = requestedState }, cancellationToken))).AsList();
    }

    private async Task EnqueueAsync(Guid subscriptionId, string type, Guid caseId, int caseVersion, string payload, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(Command(_sql.Enqueue, new
        {
            Id = Guid.CreateVersion7(now),
            SubscriptionId = subscriptionId,
            EventType = type,
            CaseId = caseId,
            CaseVersion = caseVersion,
            Payload = payload,
            Now = now,
        }, cancellationToken));
    }

    private CommandDefinition Command(string sql, object parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, session.Transaction, cancellationToken: cancellationToken);

    private sealed class SubscriberRow
    {
        public Guid Id { get; init; }
        public string? EventTypes { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    private sealed class ClockRow
    {
        public Guid CaseId { get; init; }
        public int Ordinal { get; init; }
        public string Kind { get; init; } = "";
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public string Statute { get; init; } = "";
        public bool Advisory { get; init; }
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
    }

    private sealed class StatusRow
    {
        public Guid Id { get; init; }
        public string Reference { get; init; } = "";
        public string State { get; init; } = "";
        public DateTimeOffset StateSince { get; init; }
        public int Version { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public string? NextKind { get; init; }
        public DateTimeOffset? NextDueAt { get; init; }
    }
}

/// <summary>Wakes the dispatcher when deliveries were queued (or a send finished), instead of waiting for its next poll.</summary>
public sealed class WebhookSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Notify()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers any number of notifications.
        }
    }

    /// <summary>Until notified or <paramref name="timeout"/> passes on <paramref name="clock"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await _wake.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }

    public void Dispose() => _wake.Dispose();
}
