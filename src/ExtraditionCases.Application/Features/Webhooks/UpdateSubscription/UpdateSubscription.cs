using ExtraditionCases.Application.Abstractions;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Webhooks;

/// <summary>
/// Replaces a subscription's URL, types, case filter and switch. Enabling a disabled subscription
/// forgets why it was disabled and retries its pending deliveries at once, in order.
/// </summary>
public static class UpdateSubscription
{
    public sealed record Command(Caller Caller, Guid Id, SubscriptionInput Body) : ICommand<SubscriptionView>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(WebhookOptions options) => RuleFor(x => x.Body).SetValidator(new SubscriptionInputValidator(options));
    }

    public sealed class Handler(IDatabaseSession session, ICaseStore cases, IWebhookDestinations destinations, TimeProvider clock)
        : IRequestHandler<Command, SubscriptionView>
    {
        public async Task<SubscriptionView> Handle(Command request, CancellationToken cancellationToken)
        {
            var country = Subscriptions.CountryOf(request.Caller);
            var before = await Subscriptions.FindOwnAsync(session, request.Caller, request.Id, cancellationToken);
            await Subscriptions.CheckAsync(destinations, cases, country, request.Body, cancellationToken);
            var now = clock.GetUtcNow();
            var enabled = request.Body.Enabled ?? true;
            await session.ExecuteAsync(Sql.Update, new
            {
                request.Id,
                request.Body.Url,
                EventTypes = WebhookEventTypes.ToColumn(request.Body.EventTypes),
                request.Body.CaseId,
                Enabled = enabled,
                Now = now,
            }, cancellationToken);
            if (enabled && !before.Enabled) await session.ExecuteAsync(Sql.RetryPendingNow, new { request.Id, Now = now }, cancellationToken);
            return (await Subscriptions.FindOwnAsync(session, request.Caller, request.Id, cancellationToken)).ToView(now);
        }
    }

    public static class Sql
    {
        // Enabled again (or still): the failure record goes; disabled by its owner: no reason beyond that.
        public static readonly SqlStatement Update = new(
            Sqlite: """
                UPDATE WebhookSubscriptions SET Url = @Url, EventTypes = @EventTypes, CaseId = @CaseId, Enabled = @Enabled,
                    DisabledReason = CASE WHEN @Enabled = 1 THEN NULL WHEN Enabled = 1 THEN 'Disabled by its owner.' ELSE DisabledReason END,
                    FailingSince = CASE WHEN @Enabled = 1 AND Enabled = 0 THEN NULL ELSE FailingSince END,
                    UpdatedAt = @Now
                WHERE Id = @Id
                """,
            SqlServer: """
                UPDATE dbo.WebhookSubscriptions SET Url = @Url, EventTypes = @EventTypes, CaseId = @CaseId, Enabled = @Enabled,
                    DisabledReason = CASE WHEN @Enabled = 1 THEN NULL WHEN Enabled = 1 THEN N'Disabled by its owner.' ELSE DisabledReason END,
                    FailingSince = CASE WHEN @Enabled = 1 AND Enabled = 0 THEN NULL ELSE FailingSince END,
                    UpdatedAt = @Now
                WHERE Id = @Id;
                """);

        public static readonly SqlStatement RetryPendingNow = new(
            Sqlite: "UPDATE WebhookDeliveries SET NextAttemptAt = @Now WHERE SubscriptionId = @Id AND Status = 'Pending'",
            SqlServer: "UPDATE dbo.WebhookDeliveries SET NextAttemptAt = @Now WHERE SubscriptionId = @Id AND Status = 'Pending';");
    }
}
