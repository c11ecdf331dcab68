using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Documents;
using MediatR;

namespace ExtraditionCases.Api.Features.Documents;

internal static class GetChecklistEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/cases/{id:guid}/checklist",
            async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetChecklist.Query(Callers.Of(http), id), ct)))
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithTags("Documents")
        .WithName("GetChecklist")
        .WithSummary("The per-stage document checklist")
        .WithDescription("For each stage's trigger with rules for the requested state (Documents:Checklists, GB defaults otherwise): the documents expected, which are on file (current, shared documents) and which are missing; next marks the stages the case may take now. With Documents:EnforceChecklist the missing documents are guards of the trigger (422).");
}
