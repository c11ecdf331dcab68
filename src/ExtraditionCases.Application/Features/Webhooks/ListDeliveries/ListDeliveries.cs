using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain;
using MediatR;

namespace ExtraditionCases.Application.Features.Webhooks;

/// <summary>A subscription's deliveries, newest first, each with its attempts: outcome, response code, latency.</summary>
public static class ListDeliveries
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Opaque to clients: the position (per subscription) of the last delivery shown.</summary>
    public static readonly CursorFormat<long> Cursor = new("whd1", seq => [seq], r => r.Long());

    public sealed record Query(Caller Caller, Guid SubscriptionId, int Limit, long? Before) : IRequest<Page<Delivery>>;

    public sealed record Attempt(int Number, string AttemptedAt, string Outcome, int? StatusCode, int LatencyMs, string? Error);

    /// <param name="WebhookId">The webhook-id header: the same on every attempt, so a receiver can drop duplicates.</param>
    public sealed record Delivery(
        Guid Id, string WebhookId, long Position, string EventType, Guid CaseId, int CaseVersion, string Status, string CreatedAt,
        string? NextAttemptAt, string? DeliveredAt, IReadOnlyList<Attempt> Attempts);

    public static string WebhookIdOf(Guid id) => $"msg_{id:N}";

    public sealed class Handler(IDatabaseSession session) : IRequestHandler<Query, Page<Delivery>>
    {
        public async Task<Page<Delivery>> Handle(Query request, CancellationToken cancellationToken)
        {
            Subscriptions.CountryOf(request.Caller);
            await Subscriptions.FindOwnAsync(session, request.Caller, request.SubscriptionId, cancellationToken);
            var rows = await session.QueryAsync<Row>(Sql.Page, new
            {
                request.SubscriptionId,
                Before = request.Before ?? long.MaxValue,
                Limit = request.Limit + 1,
            }, cancellationToken);
            var shown = rows.Take(request.Limit).ToList();
            var attempts = shown.Count == 0
                ? []
                : await session.QueryAsync<AttemptRow>(Sql.Attempts, new { request.SubscriptionId, Low = shown[^1].Seq, High = shown[0].Seq }, cancellationToken);
            var bySeq = attempts.ToLookup(a => a.Seq);
            return Paging.Of(rows, request.Limit, Cursor, r => r.Seq, r => new Delivery(
                r.Id, WebhookIdOf(r.Id), r.Seq, r.EventType, r.CaseId, r.CaseVersion, r.Status, Instant.ToText(r.CreatedAt),
                r.Status == "Pending" ? Instant.ToText(r.NextAttemptAt) : null,
                r.DeliveredAt is { } d ? Instant.ToText(d) : null,
                [.. bySeq[r.Seq].Select(a => new Attempt(a.Attempt, Instant.ToText(a.AttemptedAt), a.Outcome, a.StatusCode, a.LatencyMs, a.Error))]));
        }
    }

    public static class Sql
    {
        private const string Columns = "Id, Seq, EventType, CaseId, CaseVersion, Status, CreatedAt, NextAttemptAt, DeliveredAt";

        public static readonly SqlStatement Page = new(
            Sqlite: $"SELECT {Columns} FROM WebhookDeliveries WHERE SubscriptionId = @SubscriptionId AND Seq < @Before ORDER BY Seq DESC LIMIT @Limit",
            SqlServer: $"SELECT TOP (@Limit) {Columns} FROM dbo.WebhookDeliveries WHERE SubscriptionId = @SubscriptionId AND Seq < @Before ORDER BY Seq DESC;");

        public static readonly SqlStatement Attempts = new(
            Sqlite: """
                SELECT Seq, Attempt, AttemptedAt, Outcome, StatusCode, LatencyMs, Error FROM WebhookAttempts
                WHERE SubscriptionId = @SubscriptionId AND Seq BETWEEN @Low AND @High ORDER BY Seq DESC, Attempt
                """,
            SqlServer: """
                SELECT Seq, Attempt, AttemptedAt, Outcome, StatusCode, LatencyMs, Error FROM dbo.WebhookAttempts
                WHERE SubscriptionId = @SubscriptionId AND Seq BETWEEN @Low AND @High ORDER BY Seq DESC, Attempt;
                """);
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public long Seq { get; init; }
        public string EventType { get; init; } = "";
        public Guid CaseId { get; init; }
        public int CaseVersion { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset NextAttemptAt { get; init; }
        public DateTimeOffset? DeliveredAt { get; init; }
    }

    private sealed class AttemptRow
    {
        public long Seq { get; init; }
        public int Attempt { get; init; }
        public DateTimeOffset AttemptedAt { get; init; }
        public string Outcome { get; init; } = "";
        public int? StatusCode { get; init; }
        public int LatencyMs { get; init; }
        public string? Error { get; init; }
    }
}
