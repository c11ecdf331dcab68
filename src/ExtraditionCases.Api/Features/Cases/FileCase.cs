using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Api.Features.Cases;

internal static class FileCaseEndpoint
{
    public static void Map(RouteGroupBuilder cases) => cases.MapPost("/", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var (body, idempotency) = await JsonBody.ReadIdempotentAsync<CaseFileInput>(http.Request, ct);
            var view = await mediator.Send(new FileCase.Command(Callers.From(http.User), Callers.Source(http), body, idempotency), ct);
            CaseResponses.WriteHeaders(http, view);
            return TypedResults.Created($"/api/v1/cases/{view.Id}", view);
        })
        .RequireAuthorization(Policies.Officer)
        .WithName("FileCase")
        .WithSummary("File a case")
        .WithDescription("Files a new case in state Draft. The caller must be an officer of one of its two states. A draft may be incomplete: completeness is checked on Submit.")
        .Accepts<CaseFileInput>("application/json")
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .AcceptsIdempotencyKey()
        .ReturnsETag();
}
