using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain;
using MediatR;

namespace ExtraditionCases.Application.Features.Webhooks;

/// <summary>
/// Sends a delivery again, with the same webhook-id, as soon as the dispatcher gets to it. It keeps its
/// position: until it succeeds, later deliveries of the subscription wait behind it.
/// </summary>
public static class Redeliver
{
    public sealed record Command(Caller Caller, Guid SubscriptionId, Guid DeliveryId) : ICommand<Queued>;

    public sealed record Queued(Guid Id, string WebhookId, string Status, string NextAttemptAt);

    public sealed class Handler(IDatabaseSession session, TimeProvider clock) : IRequestHandler<Command, Queued>
    {
        public async Task<Queued> Handle(Command request, CancellationToken cancellationToken)
        {
            Subscriptions.CountryOf(request.Caller);
            await Subscriptions.FindOwnAsync(session, request.Caller, request.SubscriptionId, cancellationToken);
            var now = clock.GetUtcNow();
            var queued = await session.ExecuteAsync(Sql.Requeue, new { Id = request.DeliveryId, request.SubscriptionId, Now = now }, cancellationToken);
            if (queued == 0) throw new NotFoundException($"No delivery {request.DeliveryId} of subscription {request.SubscriptionId}.");
            return new Queued(request.DeliveryId, ListDeliveries.WebhookIdOf(request.DeliveryId), "Pending", Instant.ToText(now));
        }
    }

    public static class Sql
    {
        public static readonly SqlStatement Requeue = new(
            Sqlite: """
                UPDATE WebhookDeliveries SET Status = 'Pending', NextAttemptAt = @Now, DeliveredAt = NULL
                WHERE Id = @Id AND SubscriptionId = @SubscriptionId
                """,
            SqlServer: """
                UPDATE dbo.WebhookDeliveries SET Status = 'Pending', NextAttemptAt = @Now, DeliveredAt = NULL
                WHERE Id = @Id AND SubscriptionId = @SubscriptionId;
                """);
    }
}
