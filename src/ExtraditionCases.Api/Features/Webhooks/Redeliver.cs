using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Webhooks;
using MediatR;

namespace ExtraditionCases.Api.Features.Webhooks;

internal static class RedeliverEndpoint
{
    public static void Map(RouteGroupBuilder subscriptions) => subscriptions.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver",
            async (Guid id, Guid deliveryId, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Accepted((string?)null, await mediator.Send(new Redeliver.Command(Callers.Of(http), id, deliveryId), ct)))
        .RequireAuthorization(Policies.OfficerOrPartner)
        .WithName("RedeliverWebhook")
        .Documents(Parameter.Id("deliveryId", "The delivery's id."))
        .WithSummary("Send a delivery again")
        .WithDescription("Queues the delivery to be sent again at once, with the same webhook-id. It keeps its place: later deliveries of the subscription wait until it succeeds.");
}
