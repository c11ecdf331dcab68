using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Webhooks;
using MediatR;

namespace ExtraditionCases.Api.Features.Webhooks;

internal static class GetSubscriptionEndpoint
{
    public static void Map(RouteGroupBuilder subscriptions) => subscriptions.MapGet("/{id:guid}", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new GetSubscription.Query(Callers.Of(http), id), ct)))
        .RequireAuthorization(Policies.OfficerOrPartner)
        .WithName("GetWebhookSubscription")
        .WithSummary("Read a webhook subscription")
        .WithDescription("One subscription of the caller's country (another country's is 404), with disabledReason and failingSince when deliveries fail. Never its secret.");
}
