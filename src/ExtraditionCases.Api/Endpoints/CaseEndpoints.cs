using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Api.Endpoints;

/// <summary>HTTP to requests and results to HTTP; nothing else lives here.</summary>
public static class CaseEndpoints
{
    public static void MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases").WithTags("Cases");

        cases.MapPost("/", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var body = await JsonBody.ReadAsync<CaseFileInput>(http.Request, ct);
                var view = await mediator.Send(new FileCase.Command(Callers.From(http.User), Callers.Source(http), body), ct);
                http.Response.Headers.ETag = view.ETag;
                return TypedResults.Created($"/api/v1/cases/{view.Id}", view);
            })
            .RequireAuthorization(Policies.Officer)
            .WithName("FileCase")
            .Accepts<CaseFileInput>("application/json");

        cases.MapGet("/{id:guid}", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var view = await mediator.Send(new GetCase.Query(Callers.From(http.User), id), ct);
                http.Response.Headers.ETag = view.ETag;
                return TypedResults.Ok(view);
            })
            .RequireAuthorization(Policies.OfficerOrAuditor)
            .WithName("GetCase");

        cases.MapGet("/", async (HttpContext http, IMediator mediator, CancellationToken ct,
                string? state, string? requestingState, string? requestedState, string? overdue, string? limit, string? cursor) =>
                TypedResults.Ok(await mediator.Send(
                    new ListCases.Query(Callers.From(http.User), state, requestingState, requestedState, overdue, limit, cursor), ct)))
            .RequireAuthorization(Policies.OfficerOrAuditor)
            .WithName("ListCases");
    }
}
