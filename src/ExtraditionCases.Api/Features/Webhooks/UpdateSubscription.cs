using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Webhooks;
using MediatR;

namespace ExtraditionCases.Api.Features.Webhooks;

internal static class UpdateSubscriptionEndpoint
{
    public static void Map(RouteGroupBuilder subscriptions) => subscriptions.MapPut("/{id:guid}", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var caller = Callers.Of(http);
            // 404 before the body is read, as the contract orders errors.
            await mediator.Send(new GetSubscription.Query(caller, id), ct);
            var body = await JsonBody.ReadAsync<SubscriptionInput>(http.Request, ct);
            return TypedResults.Ok(await mediator.Send(new UpdateSubscription.Command(caller, id, body), ct));
        })
        .RequireAuthorization(Policies.OfficerOrPartner)
        .WithName("UpdateWebhookSubscription")
        .WithSummary("Replace a webhook subscription")
        .WithDescription("Replaces the URL, eventTypes, caseId and enabled (omitted: true) of a subscription. Enabling a disabled one clears its failure and retries its waiting deliveries at once, in order. The URL is checked as on creation (422).")
        .Accepts<SubscriptionInput>("application/json")
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
