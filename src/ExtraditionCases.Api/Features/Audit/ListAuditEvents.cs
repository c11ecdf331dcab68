using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Audit;
using MediatR;

namespace ExtraditionCases.Api.Features.Audit;

internal static class ListAuditEventsEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/audit/events", async (HttpContext http, IMediator mediator, CancellationToken ct,
            string? from, string? to, string? caseId, string? actorSubject, string? limit, string? cursor) =>
        {
            var (window, pageSize, after) = AuditQuery.Read(from, to, caseId, "actorSubject", actorSubject, limit, cursor, ListAuditEvents.Cursor);
            var page = await mediator.Send(new ListAuditEvents.Query(window, pageSize, after), ct);
            ReturnedCases.Note(http, page.Items.Select(e => e.CaseId));
            return TypedResults.Ok(page);
        })
        .RequireAuthorization(Policies.Auditor)
        .WithTags("Audit")
        .WithName("ListAuditEvents")
        .WithSummary("List events across cases")
        .WithDescription("Filters from, to, caseId and actorSubject; cursor paging.")
        .Documents([.. AuditQuery.Parameters, Parameter.Text("actorSubject", AuditWindow.MaxSubjectLength, "Only events by this subject (the token's sub).")]);
}
