using ExtraditionCases.Domain.Deadlines;
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
        .Documents(Parameter.Enum<DeadlineKind>("kind", "The clock to extend: a pending clock of this kind on the case."))
        .WithRequestExample("""{"dueAt":"2027-01-29T17:00:00Z","orderReference":"Westminster Magistrates' Court order 2026/1187"}""")
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .RequiresIfMatch()
        .AcceptsIdempotencyKey()
        .ReturnsETag();
}
