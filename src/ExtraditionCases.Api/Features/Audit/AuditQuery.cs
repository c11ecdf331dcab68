using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features;
using ExtraditionCases.Application.Features.Audit;

namespace ExtraditionCases.Api.Features.Audit;

/// <summary>The query string both audit lists take, read into their window, page size and position (400 naming every fault).</summary>
internal static class AuditQuery
{
    /// <summary>What both lists read, as the OpenAPI document describes it.</summary>
    public static readonly Parameter[] Parameters =
    [
        Parameter.Instant("from", "Only entries at or after this instant."),
        Parameter.Instant("to", "Only entries before this instant."),
        Parameter.CaseId("caseId", "Only entries of this case."),
        Parameter.Limit(AuditWindow.MaxLimit, AuditWindow.DefaultLimit),
    ];

    public static (AuditWindow Window, int Limit, long After) Read(
        string? from, string? to, string? caseId, string subjectName, string? subject, string? limit, string? cursor, CursorFormat<long> format)
    {
        var query = new QueryValues();
        var (since, until, ofCase) = (query.Instant("from", from), query.Instant("to", to), query.CaseId("caseId", caseId));
        var pageSize = query.Limit("limit", limit, AuditWindow.MaxLimit, AuditWindow.DefaultLimit);
        var who = query.Text(subjectName, subject, AuditWindow.MaxSubjectLength);
        var after = query.Cursor("cursor", cursor, format);
        query.ThrowIfInvalid();
        return (new AuditWindow(since, until, ofCase, who), pageSize, after);
    }
}
