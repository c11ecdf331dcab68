using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Api.Features.Cases;

internal static class ErasePrivateEndpoint
{
    public static void Map(RouteGroupBuilder cases) => cases.MapDelete("/{id:guid}/private/{member}",
            async (Guid id, string member, HttpContext http, ICaseStore store, IMediator mediator, CancellationToken ct) =>
        {
            var caller = Callers.Of(http);
            var target = await CaseWrites.LoadAsync(store, caller, id, ct);
            return TypedResults.Ok(await mediator.Send(new ErasePrivate.Command(caller, target, member), ct));
        })
        .RequireAuthorization(Policies.Officer)
        .WithName("ErasePrivate")
        .Documents(Parameter.OneOf("member", "The private file's member to erase.", [.. ErasePrivate.MembersByName.Keys]))
        .WithSummary("Erase a member of this state's private file")
        .WithDescription("Data-protection erasure of asylumClaim, healthNotes, counsel or legalAid as the caller's state recorded them: every recorded value's salt and content are erased, the salted commitments in the shared chain stay, so every chain still verifies. No event is recorded and the case's version does not change.");
}
