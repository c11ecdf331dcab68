using ExtraditionCases.Application.Abstractions;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Webhooks;

/// <summary>An officer or partner subscribes their country to webhooks; the secret is in this answer only.</summary>
public static partial class CreateSubscription
{
    public sealed record Command(Caller Caller, SubscriptionInput Body) : ICommand<Created>;

    /// <summary>The subscription and its signing secret, shown once.</summary>
    public sealed record Created(SubscriptionView Subscription, string Secret);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(WebhookOptions options) => RuleFor(x => x.Body).SetValidator(new SubscriptionInputValidator(options));
    }

    public sealed class Handler(IDatabaseSession session, ICaseStore cases, IWebhookDestinations destinations, TimeProvider clock)
        : IRequestHandler<Command, Created>
    {
        public async Task<Created> Handle(Command request, CancellationToken cancellationToken)
        {
            var country = Subscriptions.CountryOf(request.Caller);
            await Subscriptions.CheckAsync(destinations, cases, country, request.Body, cancellationToken);
            var now = clock.GetUtcNow();
            var id = Guid.CreateVersion7(now);
            var secret = WebhookSecrets.New();
            await session.ExecuteAsync(Sql.Insert, new
            {
                Id = id,
                Country = country,
                CreatedBy = request.Caller.Subject,
                CreatedByIssuer = request.Caller.Issuer,
                request.Body.Url,
                EventTypes = WebhookEventTypes.ToColumn(request.Body.EventTypes),
                request.Body.CaseId,
                Secret = secret,
                Enabled = request.Body.Enabled ?? true,
                Now = now,
            }, cancellationToken);
            var row = await Subscriptions.FindOwnAsync(session, request.Caller, id, cancellationToken);
            return new Created(row.ToView(now), secret);
        }
    }

    public static class Sql
    {
        public static readonly SqlStatement Insert = new(
            Sqlite: """
                INSERT INTO WebhookSubscriptions (Id, Country, CreatedBy, CreatedByIssuer, Url, EventTypes, CaseId, Secret, Enabled, CreatedAt, UpdatedAt)
                VALUES (@Id, @Country, @CreatedBy, @CreatedByIssuer, @Url, @EventTypes, @CaseId, @Secret, @Enabled, @Now, @Now)
                """,
            SqlServer: """
                INSERT INTO dbo.WebhookSubscriptions (Id, Country, CreatedBy, CreatedByIssuer, Url, EventTypes, CaseId, Secret, Enabled, CreatedAt, UpdatedAt)
                VALUES (@Id, @Country, @CreatedBy, @CreatedByIssuer, @Url, @EventTypes, @CaseId, @Secret, @Enabled, @Now, @Now);
                """);
    }
}
