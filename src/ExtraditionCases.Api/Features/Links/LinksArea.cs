using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Links;
using MediatR;

namespace ExtraditionCases.Api.Features.Links;

internal static class LinksArea
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases/{id:guid}").WithTags("Links");
        LinkCasesEndpoint.Map(cases);
        GetLinkEndpoint.Map(cases);
        SuggestLinksEndpoint.Map(cases);
    }
}

internal static class LinkCasesEndpoint
{
    public static void Map(RouteGroupBuilder cases) => cases.MapPost("/links",
            async (Guid id, HttpContext http, ICaseStore store, IMediator mediator, CancellationToken ct) =>
        {
            var caller = Callers.Of(http);
            var target = await CaseWrites.LoadAsync(store, caller, id, ct);
            var body = await JsonBody.ReadAsync<LinkInput>(http.Request, ct);
            var view = await mediator.Send(new LinkCases.Command(caller, Callers.Source(http), target, body), ct);
            ReturnedCases.Note(http, view.Cases.Select(c => c.Id));
            return TypedResults.Created($"/api/v1/cases/{id}/links/{view.Id}", view);
        })
        .RequireAuthorization(Policies.Officer)
        .WithName("LinkCases")
        .WithSummary("Confirm that another case concerns the same person")
        .WithDescription("caseId (the other case) and reason (up to 500 characters). By an officer who may see both cases: a case the caller may not see, or none, is 422 on caseId; a pair linked already is 409. A CaseLinked event goes into both chains; when both cases are open, requested of the same state by different requesting states, a CompetingRequestDetected event follows in both (s.126 of the 2003 Act; s.14 of the 1972 Act), recorded by this officer (of the requested state), and DeferDecision with ground CompetingRequest becomes possible. Both events hold only the opaque linkId. Appended, never edited: no If-Match.")
        .Accepts<LinkInput>("application/json")
        .WithRequestExample("""{"caseId":"0199a3f2-5b7e-7c1d-9e4f-2a6b8c0d1e3f","reason":"Same passport AK7654321 and date of birth; the UAE request names him Zafar Iqbal Chaudhary."}""")
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}

internal static class GetLinkEndpoint
{
    public static void Map(RouteGroupBuilder cases) => cases.MapGet("/links/{linkId:guid}",
            async (Guid id, Guid linkId, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var view = await mediator.Send(new GetLink.Query(Callers.Of(http), id, linkId), ct);
            ReturnedCases.Note(http, view.Cases.Select(c => c.Id));
            return TypedResults.Ok(view);
        })
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithName("GetLink")
        .Documents(Parameter.Id("linkId", "The link's id, as the CaseLinked and CompetingRequestDetected events carry it."))
        .WithSummary("Read a link with both cases named")
        .WithDescription("Only for a caller who may see both cases: auditors, and officers of a state party to both (for a competing request, the requested state). Anyone else gets 404, a requesting state shown a competing request included: it learns only that one exists.");
}

internal static class SuggestLinksEndpoint
{
    public static void Map(RouteGroupBuilder cases) => cases.MapGet("/link-suggestions",
            async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var result = await mediator.Send(new SuggestLinks.Query(Callers.Of(http), id), ct);
            ReturnedCases.Note(http, result.Items.Select(s => s.Case.Id).Prepend(id));
            return TypedResults.Ok(result);
        })
        .RequireAuthorization(Policies.Officer)
        .WithName("SuggestLinks")
        .WithSummary("Cases that may concern the same person")
        .WithDescription("Among the cases the caller may see and not linked yet: a matching identity-document number (separators ignored), or a name of at least two words that is, word for word after normalisation, a name of the other case, with the same date of birth. At most 50, identity documents first; each says what matched on both sides and whether a link would be a competing request. Records nothing: only a link an officer confirms becomes history.");
}
