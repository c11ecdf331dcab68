using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Application.Features.Audit;
using MediatR;

namespace ExtraditionCases.Api.Features.Audit;

internal static class ListAccessEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/audit/access", async (IMediator mediator, CancellationToken ct,
            string? from, string? to, string? caseId, string? subject, string? limit, string? cursor) =>
        {
            var (window, pageSize, after) = AuditQuery.Read(from, to, caseId, "subject", subject, limit, cursor, ListAccess.Cursor);
            return TypedResults.Ok(await mediator.Send(new ListAccess.Query(window, pageSize, after), ct));
        })
        .RequireAuthorization(Policies.Auditor)
        .WithTags("Audit")
        .WithName("ListAccess")
        .WithSummary("List the access log")
        .WithDescription("Every request that touched a case or the feed, and every failed authentication: who, what, when and the outcome.")
        .Documents([.. AuditQuery.Parameters, Parameter.Text("subject", AuditWindow.MaxSubjectLength, "Only requests by this subject (the token's sub).")]);
}
