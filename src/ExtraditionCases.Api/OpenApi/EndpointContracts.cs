using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Audit;

namespace ExtraditionCases.Api.OpenApi;

/// <summary>
/// What the OpenAPI document cannot derive from an endpoint's metadata, keyed by its name
/// (<c>.WithName(...)</c>): the headers it reads and writes, the refusals particular to it, and the
/// response body of handlers that return <c>IResult</c> or hand-built JSON. Everything else (path,
/// method, parameters, request body, roles, 400/404/413/415) is derived. A test fails when an
/// endpoint of the app has no entry here, or an entry names no endpoint.
/// </summary>
internal static class EndpointContracts
{
    public const string Json = "application/json";

    public static readonly IReadOnlyDictionary<string, EndpointContract> ByName = new Dictionary<string, EndpointContract>(StringComparer.Ordinal)
    {
        ["FileCase"] = new()
        {
            Summary = "File a case",
            Description = "Files a new case in state Draft. The caller must be an officer of one of its two states. A draft may be incomplete: completeness is checked on Submit.",
            IdempotencyKey = true,
            ETag = true,
            Refusals = [409, 422],
        },
        ["GetCase"] = new()
        {
            Summary = "Read a case",
            Description = "The case as this caller sees it now: direction, deadlines with their current status, and the triggers this caller may fire.",
            ETag = true,
        },
        ["ListCases"] = new()
        {
            Summary = "List cases",
            Description = "Cases the caller may see, oldest first, with cursor paging (limit 1-200, default 50). overdue=true keeps open cases with a clock Missed.",
        },
        ["PatchCase"] = new()
        {
            Summary = "Edit a case file",
            Description = "A JSON merge patch (RFC 7396; arrays replace whole) of the case-file fields. id, reference, state, version, requestingState and requestedState cannot be patched (400); the merged case is validated as a new one would be (400); an ended case cannot be patched (409).",
            IfMatch = true,
            ETag = true,
            Refusals = [409],
        },
        ["RecordTransition"] = new()
        {
            Summary = "Record a workflow step",
            Description = "Fires a trigger of the case's workflow. 409 when the current state does not permit it (the problem lists allowedActions); 403 when it is the other state's to fire; 422 when a guard or the time-order rule fails (the problem lists unmetGuards).",
            IfMatch = true,
            IdempotencyKey = true,
            ETag = true,
            Refusals = [409, 422],
        },
        ["ExtendDeadline"] = new()
        {
            Summary = "Record a court's extension of a clock",
            Description = "Recorded by requested-state officers. 409 when the clock is not pending; 422 when the new dueAt does not extend it.",
            IfMatch = true,
            IdempotencyKey = true,
            ETag = true,
            Refusals = [409, 422],
        },
        ["DescribeWorkflow"] = new()
        {
            Summary = "Describe the workflow",
            Description = "States, triggers and guarded transitions, generated from the state machine.",
        },
        ["WorkflowDiagram"] = new()
        {
            Summary = "Draw the workflow",
            Description = "The state machine as a Mermaid (format=mermaid, the default) or Graphviz (format=dot) diagram.",
            Returns = typeof(string),
            ReturnsMediaTypes = ["text/plain", "text/vnd.graphviz"],
        },
        ["ListDeadlines"] = new()
        {
            Summary = "List statutory clocks",
            Description = "Clocks of the cases the caller may see, soonest first; filter by status (Pending or Missed) and dueBefore.",
        },
        ["GetCaseStatus"] = new()
        {
            Summary = "Poll a case's status",
            Description = "The small status document partners poll. If-None-Match carrying the current ETag answers 304 with no body.",
            IfNoneMatch = true,
            ETag = true,
            Returns = typeof(CaseStatus),
        },
        ["GetChanges"] = new()
        {
            Summary = "Poll the change feed",
            Description = "One item per recorded event of a case the caller may see, in commit order. nextCursor is always a string: poll from it next. No cursor: from the beginning. limit 1-1000, default 100.",
        },
        ["GetHistory"] = new()
        {
            Summary = "Read a case's hash-chained history",
            Description = "Every event in order, with its hash chain. Accept: application/x-ndjson gives one event per line; Accept: text/csv a CSV with a header row (nested members as JSON text).",
            Returns = typeof(GetHistory.View),
            AlsoAs = ["application/x-ndjson", "text/csv"],
        },
        ["VerifyHistory"] = new()
        {
            Summary = "Verify a case's hash chain",
            Description = "Recomputes the chain from storage.",
        },
        ["ListAuditEvents"] = new()
        {
            Summary = "List events across cases",
            Description = "Filters from, to, caseId and actorSubject; cursor paging.",
            Returns = typeof(AuditEventPage),
        },
        ["ListAccess"] = new()
        {
            Summary = "List the access log",
            Description = "Every request that touched a case or the feed, and every failed authentication: who, what, when and the outcome.",
            Returns = typeof(AccessLogPage),
        },
    };
}

internal sealed record EndpointContract
{
    public required string Summary { get; init; }
    public string? Description { get; init; }

    /// <summary>Requires If-Match with the current ETag: 428 without it, 412 when stale.</summary>
    public bool IfMatch { get; init; }

    /// <summary>Honours If-None-Match: 304 when it names the current ETag.</summary>
    public bool IfNoneMatch { get; init; }

    /// <summary>Accepts Idempotency-Key: a retry gets the first response with Idempotent-Replayed: true.</summary>
    public bool IdempotencyKey { get; init; }

    /// <summary>The success response carries the resource's ETag.</summary>
    public bool ETag { get; init; }

    /// <summary>Refusals particular to this endpoint (409, 422), beyond those derived from its shape.</summary>
    public IReadOnlyList<int> Refusals { get; init; } = [];

    /// <summary>The success body, where the handler's return type does not say it.</summary>
    public Type? Returns { get; init; }

    public IReadOnlyList<string> ReturnsMediaTypes { get; init; } = [EndpointContracts.Json];

    /// <summary>Other representations of the success body, as text.</summary>
    public IReadOnlyList<string> AlsoAs { get; init; } = [];
}
