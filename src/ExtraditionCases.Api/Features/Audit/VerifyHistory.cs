using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Audit;
using MediatR;

namespace ExtraditionCases.Api.Features.Audit;

internal static class VerifyHistoryEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/cases/{id:guid}/history/verify", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new VerifyHistory.Query(Callers.Of(http), id), ct)))
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithTags("Audit")
        .WithName("VerifyHistory")
        .WithSummary("Verify a case's hash chain")
        .WithDescription("Recomputes the chain from storage.");
}
