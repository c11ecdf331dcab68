using ExtraditionCases.Application.Abstractions;
using MediatR;

namespace ExtraditionCases.Application.Features.Webhooks;

/// <summary>The caller's country's subscriptions, oldest first.</summary>
public static class ListSubscriptions
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static readonly CursorFormat<(DateTimeOffset CreatedAt, Guid Id)> Cursor =
        new("whs1", p => [p.CreatedAt, p.Id], r => (r.Instant(), r.Guid()));

    public sealed record Query(Caller Caller, int Limit, (DateTimeOffset CreatedAt, Guid Id)? After) : IRequest<Page<SubscriptionView>>;

    public sealed class Handler(IDatabaseSession session, TimeProvider clock) : IRequestHandler<Query, Page<SubscriptionView>>
    {
        public async Task<Page<SubscriptionView>> Handle(Query request, CancellationToken cancellationToken)
        {
            var country = Subscriptions.CountryOf(request.Caller);
            var rows = await session.QueryAsync<Subscriptions.Row>(Sql.Page, new
            {
                Country = country,
                Limit = request.Limit + 1,
                HasCursor = request.After is not null,
                AfterCreatedAt = request.After?.CreatedAt ?? DateTimeOffset.UnixEpoch,
                AfterId = request.After?.Id ?? Guid.Empty,
            }, cancellationToken);
            var now = clock.GetUtcNow();
            return Paging.Of(rows, request.Limit, Cursor, r => (r.CreatedAt, r.Id), r => r.ToView(now));
        }
    }

    public static class Sql
    {
        private const string Columns =
            "Id, Country, Url, EventTypes, CaseId, Enabled, DisabledReason, FailingSince, PreviousSecretExpiresAt, CreatedAt, UpdatedAt, CreatedBy, CreatedByIssuer";

        private const string After = "(@HasCursor = 0 OR CreatedAt > @AfterCreatedAt OR (CreatedAt = @AfterCreatedAt AND Id > @AfterId))";

        public static readonly SqlStatement Page = new(
            Sqlite: $"SELECT {Columns} FROM WebhookSubscriptions WHERE Country = @Country AND {After} ORDER BY CreatedAt, Id LIMIT @Limit",
            SqlServer: $"SELECT TOP (@Limit) {Columns} FROM dbo.WebhookSubscriptions WHERE Country = @Country AND {After} ORDER BY CreatedAt, Id;");
    }
}
