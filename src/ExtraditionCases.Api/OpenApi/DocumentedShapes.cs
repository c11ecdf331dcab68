using System.Text.Json.Nodes;
using ExtraditionCases.Application.History;

namespace ExtraditionCases.Api.OpenApi;

// Shapes of the JSON that the audit endpoints build by hand, for the OpenAPI document only. A test
// compares them with what the endpoints really return.

/// <summary>An event of <c>GET /audit/events</c>: a history event and the case it belongs to.</summary>
public sealed record AuditEvent(
    Guid CaseId,
    int Sequence,
    string Type,
    string? Trigger,
    string? FromState,
    string? ToState,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    EventActor Actor,
    EventSource Source,
    string? Note,
    JsonObject Data,
    string PrevHash,
    string Hash);

public sealed record AuditEventPage(IReadOnlyList<AuditEvent> Items, string? NextCursor);

/// <summary>An entry of <c>GET /audit/access</c>.</summary>
public sealed record AccessLogEntry(
    DateTimeOffset At,
    string? Subject,
    string? Issuer,
    string? Role,
    string? Country,
    Guid? CaseId,
    string Method,
    string Endpoint,
    int Status,
    string? TraceId,
    string? ClientAddress);

public sealed record AccessLogPage(IReadOnlyList<AccessLogEntry> Items, string? NextCursor);
