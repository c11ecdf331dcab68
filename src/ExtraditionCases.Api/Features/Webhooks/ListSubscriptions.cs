using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features;
using ExtraditionCases.Application.Features.Webhooks;
using MediatR;

namespace ExtraditionCases.Api.Features.Webhooks;

internal static class ListSubscriptionsEndpoint
{
    public static void Map(RouteGroupBuilder subscriptions) => subscriptions.MapGet("/", async (HttpContext http, IMediator mediator, CancellationToken ct,
            string? limit, string? cursor) =>
        {
            var query = new QueryValues();
            var request = new ListSubscriptions.Query(Callers.Of(http),
                query.Limit("limit", limit, ListSubscriptions.MaxLimit, ListSubscriptions.DefaultLimit),
                cursor is null ? null : query.Cursor("cursor", cursor, ListSubscriptions.Cursor));
            query.ThrowIfInvalid();
            return TypedResults.Ok<Page<SubscriptionView>>(await mediator.Send(request, ct));
        })
        .RequireAuthorization(Policies.OfficerOrPartner)
        .WithName("ListWebhookSubscriptions")
        .Documents(Parameter.Limit(ListSubscriptions.MaxLimit, ListSubscriptions.DefaultLimit))
        .WithSummary("List webhook subscriptions")
        .WithDescription("The caller's country's subscriptions, oldest first, each with whether it is enabled and, if it was disabled, why. limit 1-200, default 50.");
}
