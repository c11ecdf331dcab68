using System.Text;
using System.Text.Json.Nodes;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Audit;
using ExtraditionCases.Application.Features.Partners;
using ExtraditionCases.Application.Json;
using MediatR;

namespace ExtraditionCases.Api.Endpoints;

/// <summary>Partner polling (status, change feed) and auditor histories.</summary>
public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        api.MapGet("/cases/{id:guid}/status", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new GetCaseStatus.Query(Callers.From(http.User), id, http.Request.Headers.IfNoneMatch.ToString()), ct);
                http.Response.Headers.ETag = result.ETag;
                return result.NotModified ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Ok(result.Status);
            })
            .RequireAuthorization(Policies.AnyRole)
            .WithTags("Partners")
            .WithName("GetCaseStatus");

        api.MapGet("/changes", async (HttpContext http, IMediator mediator, CancellationToken ct, string? cursor, string? limit) =>
                TypedResults.Ok(await mediator.Send(new GetChanges.Query(Callers.From(http.User), cursor, limit), ct)))
            .RequireAuthorization(Policies.AnyRole)
            .WithTags("Partners")
            .WithName("GetChanges");

        api.MapGet("/cases/{id:guid}/history", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var history = await mediator.Send(new GetHistory.Query(Callers.From(http.User), id), ct);
                return Negotiate(http.Request, history);
            })
            .RequireAuthorization(Policies.OfficerOrAuditor)
            .WithTags("Audit")
            .WithName("GetHistory");

        api.MapGet("/cases/{id:guid}/history/verify", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetHistory.VerifyQuery(Callers.From(http.User), id), ct)))
            .RequireAuthorization(Policies.OfficerOrAuditor)
            .WithTags("Audit")
            .WithName("VerifyHistory");

        api.MapGet("/audit/events", async (IMediator mediator, CancellationToken ct,
                string? from, string? to, string? caseId, string? actorSubject, string? limit, string? cursor) =>
                TypedResults.Ok(await mediator.Send(new ListAudit.EventsQuery(from, to, caseId, actorSubject, limit, cursor), ct)))
            .RequireAuthorization(Policies.Auditor)
            .WithTags("Audit")
            .WithName("ListAuditEvents");

        api.MapGet("/audit/access", async (IMediator mediator, CancellationToken ct,
                string? from, string? to, string? caseId, string? subject, string? limit, string? cursor) =>
                TypedResults.Ok(await mediator.Send(new ListAudit.AccessQuery(from, to, caseId, subject, limit, cursor), ct)))
            .RequireAuthorization(Policies.Auditor)
            .WithTags("Audit")
            .WithName("ListAccess");
    }

    /// <summary>JSON by default; one event per line for application/x-ndjson; a CSV with a header row for text/csv.</summary>
    private static IResult Negotiate(HttpRequest request, GetHistory.View history)
    {
        var accept = request.GetTypedHeaders().Accept;
        bool Wants(string mediaType) => accept.Any(a => a.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase));

        if (Wants("application/x-ndjson"))
        {
            var lines = new StringBuilder();
            foreach (var e in history.Events) lines.Append(e.ToJson().ToJsonString(CaseJson.Options)).Append('\n');
            return Results.Text(lines.ToString(), "application/x-ndjson", Encoding.UTF8);
        }

        if (Wants("text/csv")) return Results.Text(Csv(history), "text/csv", Encoding.UTF8);
        return Results.Json(history.ToJson(), CaseJson.Options);
    }

    private static readonly string[] CsvColumns =
        ["sequence", "type", "trigger", "fromState", "toState", "occurredAt", "recordedAt", "actor", "source", "note", "data", "prevHash", "hash"];

    /// <summary>RFC 4180: every field quoted, nested members as JSON text.</summary>
    private static string Csv(GetHistory.View history)
    {
        var csv = new StringBuilder(string.Join(',', CsvColumns)).Append("\r\n");
        foreach (var e in history.Events)
        {
            var json = e.ToJson();
            csv.Append(string.Join(',', CsvColumns.Select(c => Quote(json[c] switch
            {
                null => "",
                JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
                var other => other.ToJsonString(CaseJson.Options),
            })))).Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>Quoted per RFC 4180; a text cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection).</summary>
    private static string Quote(string field)
    {
        if (field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r') field = "'" + field;
        return "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
