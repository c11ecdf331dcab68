using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Api.Features.Cases;

internal static class RecordTransitionEndpoint
{
    public static void Map(RouteGroupBuilder cases) => cases.MapPost("/{id:guid}/transitions",
            (Guid id, HttpContext http, ICaseStore store, IMediator mediator, CancellationToken ct) =>
            CaseResponses.WriteAsync<TransitionInput>(http, store, mediator, id,
                (caller, source, target, ifMatch, body, key) => new RecordTransition.Command(caller, source, target, ifMatch, body, key), ct))
        .RequireAuthorization(Policies.Officer)
        .WithName("RecordTransition")
        .WithSummary("Record a workflow step")
        .WithDescription("Fires a trigger of the case's workflow. 409 when the current state does not permit it (the problem lists allowedActions); 403 when it is the other state's to fire; 422 when a guard or the time-order rule fails (the problem lists unmetGuards).")
        .Accepts<TransitionInput>("application/json")
        .WithRequestExample("""{"trigger":"Submit","note":"Case file complete; sent for certification."}""")
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .RequiresIfMatch()
        .AcceptsIdempotencyKey()
        .ReturnsETag();
}
