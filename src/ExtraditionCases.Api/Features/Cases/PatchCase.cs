using System.Text.Json.Nodes;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Api.Features.Cases;

internal static class PatchCaseEndpoint
{
    private const string MergePatch = "application/merge-patch+json";

    public static void Map(RouteGroupBuilder cases) => cases.MapPatch("/{id:guid}",
            async (Guid id, HttpContext http, ICaseStore store, IMediator mediator, CancellationToken ct) =>
        {
            var caller = Callers.Of(http);
            var target = await CaseWrites.LoadAsync(store, caller, id, ct);
            var patch = await JsonBody.ReadAsync<JsonObject>(http.Request, ct, MergePatch, "application/json");
            var view = await mediator.Send(new PatchCase.Command(caller, Callers.Source(http), target, Preconditions.IfMatch(http.Request), patch), ct);
            http.Response.Headers.ETag = Preconditions.ETagOf(view.Version);
            return TypedResults.Ok(view);
        })
        .RequireAuthorization(Policies.Officer)
        .WithName("PatchCase")
        .WithSummary("Edit a case file")
        .WithDescription("A JSON merge patch (RFC 7396; arrays replace whole) of the case-file fields. id, reference, state, version, requestingState and requestedState cannot be patched (400); the merged case is validated as a new one would be (400); an ended case cannot be patched (409).")
        .Accepts<CaseFileInput>(MergePatch)
        .WithRequestExample("""{"requestingAuthority":"Ministry of Interior, Islamabad","person":{"placeOfBirth":"Lahore"}}""")
        .ProducesProblem(StatusCodes.Status409Conflict)
        .RequiresIfMatch()
        .ReturnsETag();
}
