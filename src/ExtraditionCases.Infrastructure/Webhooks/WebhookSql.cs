using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Webhooks;

/// <summary>
/// The outbox, the dispatcher's claim and settlement, and the missed-clock sweep, in both dialects.
/// <list type="bullet">
/// <item>Enqueue takes the subscription's next position inside the event's transaction: SQLite has one
/// writer at a time; on SQL Server UPDLOCK + HOLDLOCK on the subscription's last key makes the next writer
/// for it wait until this one commits, so positions become visible in order (as in the change feed).</item>
/// <item>Claim leases only the head of each subscription (its lowest pending position), so a later
/// delivery never overtakes an earlier one. On SQL Server UPDLOCK + READPAST lets several replicas claim at
/// once, each skipping rows another is claiming; on SQLite claims run under the writer gate.</item>
/// <item>ClaimRun leases a run of a subscription's next deliveries (its head and those after it, in order) in the
/// transaction that settles the run before, so a subscription with a backlog costs one commit per run, not one or two
/// per delivery. A delivery in the run is leased only if every one before it is due and free: a run never has a gap.
/// Release hands back those of a run left unsent.</item>
/// </list>
/// </summary>
public sealed record WebhookSql(
    string Subscribers,
    string Enqueue,
    string RanOutClocks,
    string NoteClock,
    string Claim,
    string ClaimRun,
    string Release,
    string Target,
    string Settle,
    string InsertAttempt,
    string ClearFailing,
    string MarkFailing,
    string FailingSince,
    string Disable,
    string Backlog)
{
    private const string DeliveryColumns = "Id, SubscriptionId, Seq, EventType, CaseId, CaseVersion, Payload, CreatedAt, Status, Attempts, NextAttemptAt";
    private const string DeliveryValues = "@Id, @SubscriptionId, COALESCE(MAX(Seq), 0) + 1, @EventType, @CaseId, @CaseVersion, @Payload, @Now, 'Pending', 0, @Now";

    // Clocks that read Missed once past due (windows expire instead, and announce nothing); a clock met
    // late is stored Missed and is announced too. Clocks due more than @Since ago are history, not news.
    private const string RanOut = """
        d.Status IN ('Pending', 'Extended', 'Missed') AND d.DueAt < @Now AND d.DueAt > @Since
          AND d.Kind NOT IN ('Representations', 'AppealWindow', 'RequestingStateAppealWindow', 'LeaveToAppeal')
        """;

    private const string Head = """
        d.Status = 'Pending' AND d.NextAttemptAt <= @Now AND (d.LeaseUntil IS NULL OR d.LeaseUntil <= @Now)
        """;

    // Of a run's candidates (the subscription's first pending deliveries, in order), those with no earlier one that is
    // not yet due or is leased by another: the head and the due, free deliveries right after it.
    private const string Unbroken = """
        NOT EXISTS (SELECT 1 FROM Run b WHERE b.Seq <= r.Seq AND NOT (b.NextAttemptAt <= @Now AND (b.LeaseUntil IS NULL OR b.LeaseUntil <= @Now)))
        """;

    private const string Settlement = """
        SET Status = @Status, Attempts = Attempts + 1, NextAttemptAt = @NextAttemptAt, LeaseToken = NULL, LeaseUntil = NULL,
            DeliveredAt = @DeliveredAt, LastAttemptAt = @At, LastStatusCode = @StatusCode, LastLatencyMs = @LatencyMs, LastError = @Error
        """;

    private const string AttemptColumns = "DeliveryId, Attempt, SubscriptionId, Seq, AttemptedAt, Outcome, StatusCode, LatencyMs, Error";
    private const string AttemptValues = "@DeliveryId, @Attempt, @SubscriptionId, @Seq, @At, @Outcome, @StatusCode, @LatencyMs, @Error";

    public static readonly Dialect<WebhookSql> Statements = new(
        Sqlite: new WebhookSql(
            Subscribers: """
                SELECT Id, EventTypes, CreatedAt FROM WebhookSubscriptions
                WHERE Country IN (@RequestingState, @RequestedState) AND Enabled = 1 AND (CaseId IS NULL OR CaseId = @CaseId) ORDER BY Id
                """,
            Enqueue: $"INSERT INTO WebhookDeliveries ({DeliveryColumns}) SELECT {DeliveryValues} FROM WebhookDeliveries WHERE SubscriptionId = @SubscriptionId",
            RanOutClocks: $"""
                SELECT d.CaseId, d.Ordinal, d.Kind, d.StartedAt, d.DueAt, d.Statute, d.Advisory, c.RequestingState, c.RequestedState
                FROM Deadlines d JOIN Cases c ON c.Id = d.CaseId
                WHERE {RanOut}
                  AND NOT EXISTS (SELECT 1 FROM WebhookDeadlineNotices n WHERE n.CaseId = d.CaseId AND n.Ordinal = d.Ordinal AND n.DueAt = d.DueAt)
                ORDER BY d.DueAt, d.CaseId, d.Ordinal LIMIT @Limit
                """,
            NoteClock: "INSERT INTO WebhookDeadlineNotices (CaseId, Ordinal, DueAt, NoticedAt) VALUES (@CaseId, @Ordinal, @DueAt, @Now)",
            // From each enabled subscription (CROSS JOIN: SQLite keeps that loop outermost) to its head, one probe of the
            // pending index and one of the (SubscriptionId, Seq) key, so the claim costs the number of subscriptions, not
            // the backlog: it runs under the writer gate.
            Claim: $"""
                UPDATE WebhookDeliveries SET LeaseToken = @Token, LeaseUntil = @LeaseUntil
                WHERE Id IN (
                    SELECT d.Id FROM WebhookSubscriptions s CROSS JOIN WebhookDeliveries d
                    WHERE s.Enabled = 1 AND d.SubscriptionId = s.Id
                      AND d.Seq = (SELECT MIN(e.Seq) FROM WebhookDeliveries e WHERE e.SubscriptionId = s.Id AND e.Status = 'Pending')
                      AND {Head}
                    ORDER BY d.NextAttemptAt, d.Seq LIMIT @Limit)
                RETURNING Id, SubscriptionId, Seq, EventType, Payload, Attempts, CreatedAt
                """,
            ClaimRun: $"""
                WITH Run AS (
                    SELECT Id, Seq, NextAttemptAt, LeaseUntil FROM WebhookDeliveries
                    WHERE SubscriptionId = @SubscriptionId AND Status = 'Pending' ORDER BY Seq LIMIT @Limit)
                UPDATE WebhookDeliveries SET LeaseToken = @Token, LeaseUntil = @LeaseUntil
                WHERE Id IN (SELECT r.Id FROM Run r WHERE {Unbroken})
                  AND EXISTS (SELECT 1 FROM WebhookSubscriptions s WHERE s.Id = @SubscriptionId AND s.Enabled = 1)
                RETURNING Id, SubscriptionId, Seq, EventType, Payload, Attempts, CreatedAt
                """,
            Release: "UPDATE WebhookDeliveries SET LeaseToken = NULL, LeaseUntil = NULL WHERE Id = @Id AND LeaseToken = @Token AND Status = 'Pending'",
            Target: "SELECT Url, Secret, PreviousSecret, PreviousSecretExpiresAt FROM WebhookSubscriptions WHERE Id = @Id",
            Settle: $"UPDATE WebhookDeliveries {Settlement} WHERE Id = @Id AND LeaseToken = @Token",
            InsertAttempt: $"INSERT INTO WebhookAttempts ({AttemptColumns}) VALUES ({AttemptValues})",
            ClearFailing: "UPDATE WebhookSubscriptions SET FailingSince = NULL WHERE Id = @Id AND FailingSince IS NOT NULL",
            MarkFailing: "UPDATE WebhookSubscriptions SET FailingSince = @At WHERE Id = @Id AND FailingSince IS NULL",
            FailingSince: "SELECT FailingSince FROM WebhookSubscriptions WHERE Id = @Id",
            Disable: "UPDATE WebhookSubscriptions SET Enabled = 0, DisabledReason = @Reason, UpdatedAt = @At WHERE Id = @Id AND Enabled = 1",
            Backlog: """
                SELECT COUNT(*) AS Pending, MIN(d.CreatedAt) AS OldestCreatedAt FROM WebhookDeliveries d
                JOIN WebhookSubscriptions s ON s.Id = d.SubscriptionId
                WHERE d.Status = 'Pending' AND s.Enabled = 1
                """),
        SqlServer: new WebhookSql(
            Subscribers: """
                SELECT Id, EventTypes, CreatedAt FROM dbo.WebhookSubscriptions
                WHERE Country IN (@RequestingState, @RequestedState) AND Enabled = 1 AND (CaseId IS NULL OR CaseId = @CaseId) ORDER BY Id;
                """,
            Enqueue: $"INSERT INTO dbo.WebhookDeliveries ({DeliveryColumns}) SELECT {DeliveryValues} FROM dbo.WebhookDeliveries WITH (UPDLOCK, HOLDLOCK) WHERE SubscriptionId = @SubscriptionId;",
            RanOutClocks: $"""
                SELECT TOP (@Limit) d.CaseId, d.Ordinal, d.Kind, d.StartedAt, d.DueAt, d.Statute, d.Advisory, c.RequestingState, c.RequestedState
                FROM dbo.Deadlines d JOIN dbo.Cases c ON c.Id = d.CaseId
                WHERE {RanOut}
                  AND NOT EXISTS (SELECT 1 FROM dbo.WebhookDeadlineNotices n WHERE n.CaseId = d.CaseId AND n.Ordinal = d.Ordinal AND n.DueAt = d.DueAt)
                ORDER BY d.DueAt, d.CaseId, d.Ordinal;
                """,
            NoteClock: "INSERT INTO dbo.WebhookDeadlineNotices (CaseId, Ordinal, DueAt, NoticedAt) VALUES (@CaseId, @Ordinal, @DueAt, @Now);",
            Claim: $"""
                WITH Due AS (
                    SELECT TOP (@Limit) d.LeaseToken, d.LeaseUntil, d.Id, d.SubscriptionId, d.Seq, d.EventType, d.Payload, d.Attempts, d.CreatedAt
                    FROM dbo.WebhookDeliveries d WITH (UPDLOCK, READPAST, ROWLOCK)
                    WHERE {Head}
                      AND EXISTS (SELECT 1 FROM dbo.WebhookSubscriptions s WHERE s.Id = d.SubscriptionId AND s.Enabled = 1)
                      AND NOT EXISTS (SELECT 1 FROM dbo.WebhookDeliveries e WHERE e.SubscriptionId = d.SubscriptionId AND e.Status = 'Pending' AND e.Seq < d.Seq)
                    ORDER BY d.NextAttemptAt, d.Seq)
                UPDATE Due SET LeaseToken = @Token, LeaseUntil = @LeaseUntil
                OUTPUT inserted.Id, inserted.SubscriptionId, inserted.Seq, inserted.EventType, inserted.Payload, inserted.Attempts, inserted.CreatedAt;
                """,
            // No READPAST here: a row skipped would leave a gap in the run. The caller holds the delivery before it, so no
            // other dispatcher's claim waits on these rows (it claims heads only).
            ClaimRun: $"""
                WITH Run AS (
                    SELECT TOP (@Limit) d.Id, d.Seq, d.NextAttemptAt, d.LeaseUntil FROM dbo.WebhookDeliveries d WITH (UPDLOCK, ROWLOCK)
                    WHERE d.SubscriptionId = @SubscriptionId AND d.Status = 'Pending' ORDER BY d.Seq)
                UPDATE d SET LeaseToken = @Token, LeaseUntil = @LeaseUntil
                OUTPUT inserted.Id, inserted.SubscriptionId, inserted.Seq, inserted.EventType, inserted.Payload, inserted.Attempts, inserted.CreatedAt
                FROM dbo.WebhookDeliveries d JOIN Run r ON r.Id = d.Id
                WHERE {Unbroken}
                  AND EXISTS (SELECT 1 FROM dbo.WebhookSubscriptions s WHERE s.Id = @SubscriptionId AND s.Enabled = 1);
                """,
            Release: "UPDATE dbo.WebhookDeliveries SET LeaseToken = NULL, LeaseUntil = NULL WHERE Id = @Id AND LeaseToken = @Token AND Status = 'Pending';",
            Target: "SELECT Url, Secret, PreviousSecret, PreviousSecretExpiresAt FROM dbo.WebhookSubscriptions WHERE Id = @Id;",
            Settle: $"UPDATE dbo.WebhookDeliveries {Settlement} WHERE Id = @Id AND LeaseToken = @Token;",
            InsertAttempt: $"INSERT INTO dbo.WebhookAttempts ({AttemptColumns}) VALUES ({AttemptValues});",
            ClearFailing: "UPDATE dbo.WebhookSubscriptions SET FailingSince = NULL WHERE Id = @Id AND FailingSince IS NOT NULL;",
            MarkFailing: "UPDATE dbo.WebhookSubscriptions SET FailingSince = @At WHERE Id = @Id AND FailingSince IS NULL;",
            FailingSince: "SELECT FailingSince FROM dbo.WebhookSubscriptions WHERE Id = @Id;",
            Disable: "UPDATE dbo.WebhookSubscriptions SET Enabled = 0, DisabledReason = @Reason, UpdatedAt = @At WHERE Id = @Id AND Enabled = 1;",
            Backlog: """
                SELECT COUNT(*) AS Pending, MIN(d.CreatedAt) AS OldestCreatedAt FROM dbo.WebhookDeliveries d
                JOIN dbo.WebhookSubscriptions s ON s.Id = d.SubscriptionId
                WHERE d.Status = 'Pending' AND s.Enabled = 1;
                """));
}
