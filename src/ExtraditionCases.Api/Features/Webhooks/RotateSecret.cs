using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Webhooks;
using MediatR;

namespace ExtraditionCases.Api.Features.Webhooks;

internal static class RotateSecretEndpoint
{
    public static void Map(RouteGroupBuilder subscriptions) => subscriptions.MapPost("/{id:guid}/rotate-secret", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new RotateSecret.Command(Callers.Of(http), id), ct)))
        .RequireAuthorization(Policies.OfficerOrPartner)
        .WithName("RotateWebhookSecret")
        .WithSummary("Rotate a subscription's signing secret")
        .WithDescription("A new secret, in this answer only. Until previousSecretExpiresAt (Webhooks:SecretGraceHours, default 24) deliveries carry a signature with each secret, space-delimited in webhook-signature.");
}
