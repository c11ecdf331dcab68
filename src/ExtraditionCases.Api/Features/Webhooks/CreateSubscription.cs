using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Webhooks;
using MediatR;

namespace ExtraditionCases.Api.Features.Webhooks;

internal static class CreateSubscriptionEndpoint
{
    public static void Map(RouteGroupBuilder subscriptions) => subscriptions.MapPost("/", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var body = await JsonBody.ReadAsync<SubscriptionInput>(http.Request, ct);
            var created = await mediator.Send(new CreateSubscription.Command(Callers.Of(http), body), ct);
            return TypedResults.Created($"/api/v1/webhooks/subscriptions/{created.Subscription.Id}", created);
        })
        .RequireAuthorization(Policies.OfficerOrPartner)
        .WithName("CreateWebhookSubscription")
        .WithSummary("Subscribe to webhooks")
        .WithDescription("Subscribes the caller's country to signed webhooks (Standard Webhooks) for the cases it is party to: an https URL, eventTypes (omitted: every type; DeadlineMissed included), an optional caseId. The signing secret is in this answer only. A URL that resolves to a private, loopback or link-local address is 422, decided without connecting.")
        .Accepts<SubscriptionInput>("application/json")
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
