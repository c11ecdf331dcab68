using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Features.Partners;
using MediatR;

namespace ExtraditionCases.Api.Features.Partners;

internal static class GetCaseStatusEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/cases/{id:guid}/status", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var result = await mediator.Send(new GetCaseStatus.Query(Callers.Of(http), id, Preconditions.IfNoneMatch(http.Request)), ct);
            http.Response.Headers.ETag = Preconditions.ETagOf(result.Version);
            return result.NotModified ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Ok(result.Status);
        })
        .RequireAuthorization(Policies.AnyRole)
        .WithTags("Partners")
        .WithName("GetCaseStatus")
        .WithSummary("Poll a case's status")
        .WithDescription("The small status document partners poll. If-None-Match carrying the current ETag answers 304 with no body.")
        .Produces<CaseStatus>()
        .HonoursIfNoneMatch()
        .ReturnsETag();
}
