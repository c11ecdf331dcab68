using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Api.Features.Cases;

internal static class ExtendDeadlineEndpoint
{
    public static void Map(RouteGroupBuilder cases) => cases.MapPost("/{id:guid}/deadlines/{kind}/extensions",
            (Guid id, string kind, HttpContext http, ICaseStore store, IMediator mediator, CancellationToken ct) =>
            CaseResponses.WriteAsync<ExtensionInput>(http, store, mediator, id,
                (caller, source, target, ifMatch, body, key) => new ExtendDeadline.Command(caller, source, target, kind, ifMatch, body, key), ct))
        .RequireAuthorization(Policies.Officer)
        .WithName("ExtendDeadline")
        .WithSummary("Record a court's extension of a clock")
        .WithDescription("Recorded by requested-state officers. 409 when the clock is not pending; 422 when the new dueAt does not extend it.")
        .Accepts<ExtensionInput>("application/json")
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .RequiresIfMatch()
        .AcceptsIdempotencyKey()
        .ReturnsETag();
}
