using System.Text;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Features.Audit;
using ExtraditionCases.Application.Json;
using MediatR;

namespace ExtraditionCases.Api.Features.Audit;

internal static class AuditVerifyEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/audit/verify", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var lines = await mediator.Send(new AuditVerify.Query(Callers.Of(http)), ct);
            http.Response.ContentType = "application/x-ndjson; charset=utf-8";
            // Streamed: a line per progress step and per mismatch as verification reaches it, then the summary.
            await foreach (var line in lines.WithCancellation(ct))
            {
                await http.Response.WriteAsync(line.ToJsonString(CaseJson.Options) + "\n", Encoding.UTF8, ct);
                await http.Response.Body.FlushAsync(ct);
            }

            return Results.Empty;
        })
        .RequireAuthorization(Policies.Auditor)
        .WithTags("Audit")
        .WithName("AuditVerify")
        .WithSummary("Verify every case, streamed")
        .WithDescription("For every case: the hash chain, its events replayed through the workflow under the rules each records and compared with the case row (state, version, parties, case file, facts, clocks), each event's inclusion in its trees' latest signed checkpoints, and its change-feed rows. NDJSON lines: progress, each case's first mismatch (caseId, sequence, check, reason), forged checkpoints, and a summary naming the first mismatch.")
        .Produces<string>(StatusCodes.Status200OK, "application/x-ndjson");
}
