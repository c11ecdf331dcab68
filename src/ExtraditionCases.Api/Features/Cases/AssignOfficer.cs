using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Api.Features.Cases;

internal static class AssignOfficerEndpoint
{
    public static void Map(RouteGroupBuilder cases) => cases.MapPut("/{id:guid}/assignees/{country}",
            (Guid id, string country, HttpContext http, ICaseStore store, IMediator mediator, CancellationToken ct) =>
            CaseResponses.WriteAsync<AssigneeInput>(http, store, mediator, id,
                (caller, source, target, ifMatch, body, key) => new AssignOfficer.Command(caller, source, target, country, ifMatch, body, key), ct))
        .RequireAuthorization(Policies.Officer)
        .WithName("AssignOfficer")
        .WithSummary("Assign a party state's officer to the case")
        .WithDescription("Each party state assigns its own officer: only an officer of {country} sets {country}'s assignee (403 otherwise). The body names the officer by sub; the issuer is the assigning officer's own. Recorded as an AssigneeChanged event (data: country, assignee {subject, issuer}, previous); naming the officer already assigned records nothing. The case in the answer carries assignees.")
        .Accepts<AssigneeInput>("application/json")
        .Documents(Parameter.Country("country", "The party state whose officer is assigned: the caller's own country."))
        .WithRequestExample("""{"subject":"officer-7-GB"}""")
        .RequiresIfMatch()
        .AcceptsIdempotencyKey()
        .ReturnsETag();
}
