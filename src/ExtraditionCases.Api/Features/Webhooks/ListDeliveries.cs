using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features;
using ExtraditionCases.Application.Features.Webhooks;
using MediatR;

namespace ExtraditionCases.Api.Features.Webhooks;

internal static class ListDeliveriesEndpoint
{
    public static void Map(RouteGroupBuilder subscriptions) => subscriptions.MapGet("/{id:guid}/deliveries", async (Guid id, HttpContext http, IMediator mediator,
            CancellationToken ct, string? limit, string? cursor) =>
        {
            var query = new QueryValues();
            var request = new ListDeliveries.Query(Callers.Of(http), id,
                query.Limit("limit", limit, ListDeliveries.MaxLimit, ListDeliveries.DefaultLimit),
                cursor is null ? null : query.Cursor("cursor", cursor, ListDeliveries.Cursor));
            query.ThrowIfInvalid();
            return TypedResults.Ok<Page<ListDeliveries.Delivery>>(await mediator.Send(request, ct));
        })
        .RequireAuthorization(Policies.OfficerOrPartner)
        .WithName("ListWebhookDeliveries")
        .Documents(Parameter.Limit(ListDeliveries.MaxLimit, ListDeliveries.DefaultLimit))
        .WithSummary("List a subscription's deliveries")
        .WithDescription("Newest first: each delivery with its webhook-id, status (Pending or Delivered), next attempt, and every attempt with its outcome, response status code and latency. limit 1-200, default 50.");
}
