using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Api.Features.Cases;

internal static class GetCaseEndpoint
{
    public static void Map(RouteGroupBuilder cases) => cases.MapGet("/{id:guid}", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var view = await mediator.Send(new GetCase.Query(Callers.Of(http), id), ct);
            http.Response.Headers.ETag = Preconditions.ETagOf(view.Version);
            return TypedResults.Ok(view);
        })
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithName("GetCase")
        .WithSummary("Read a case")
        .WithDescription("The case as this caller sees it now: direction, deadlines with their current status, and the triggers this caller may fire.")
        .ReturnsETag();
}
