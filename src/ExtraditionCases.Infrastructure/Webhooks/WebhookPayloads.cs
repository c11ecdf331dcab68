using System.Text.Json.Nodes;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Features.Webhooks;
using ExtraditionCases.Domain;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Infrastructure.Webhooks;

/// <summary>
/// The body of a delivery, in the Standard Webhooks shape <c>{type, timestamp, data}</c>: data is a
/// change-feed item (<c>caseId, reference, version, state, type, occurredAt, recordedAt</c>) plus the
/// case's status after it, as <c>GET /cases/{id}/status</c> shows it. No case-file content, no person.
/// </summary>
public static class WebhookPayloads
{
    public sealed record Status(Guid Id, string Reference, string State, DateTimeOffset StateSince, int Version, DateTimeOffset UpdatedAt,
        string? NextKind, DateTimeOffset? NextDueAt);

    public static string ForEvent(ExtraditionCase c, CaseEvent e)
    {
        // The clock the status poll would name at the instant the event was recorded.
        var next = c.Deadlines.Where(d => d.IsOpen && d.DueAt >= e.RecordedAt).OrderBy(d => d.DueAt).ThenBy(d => d.Ordinal).FirstOrDefault();
        var status = new Status(c.Id, c.Reference, c.State.ToString(), c.StateSince, c.Version, c.UpdatedAt, next?.Kind.ToString(), next?.DueAt);
        return Envelope(e.Type, e.RecordedAt, Item(c.Id, c.Reference, e.Sequence, e.ToState ?? c.State.ToString(), e.Type, e.OccurredAt, e.RecordedAt, status));
    }

    public static string ForMissedClock(Status status, DeadlineKind kind, DateTimeOffset startedAt, DateTimeOffset dueAt, string statute, bool advisory,
        DateTimeOffset noticedAt)
    {
        var data = Item(status.Id, status.Reference, status.Version, status.State, WebhookEventTypes.DeadlineMissed, dueAt, noticedAt, status);
        data["deadline"] = new JsonObject
        {
            ["kind"] = kind.ToString(),
            ["startedAt"] = Instant.ToText(startedAt),
            ["dueAt"] = Instant.ToText(dueAt),
            ["status"] = nameof(DeadlineStatus.Missed),
            ["statute"] = statute,
            ["advisory"] = advisory,
        };
        return Envelope(WebhookEventTypes.DeadlineMissed, noticedAt, data);
    }

    private static JsonObject Item(Guid caseId, string reference, int version, string state, string type, DateTimeOffset occurredAt,
        DateTimeOffset recordedAt, Status status) => new()
    {
        ["caseId"] = caseId.ToString("D"),
        ["reference"] = reference,
        ["version"] = version,
        ["state"] = state,
        ["type"] = type,
        ["occurredAt"] = Instant.ToText(occurredAt),
        ["recordedAt"] = Instant.ToText(recordedAt),
        ["status"] = new JsonObject
        {
            ["id"] = status.Id.ToString("D"),
            ["reference"] = status.Reference,
            ["state"] = status.State,
            ["stateSince"] = Instant.ToText(status.StateSince),
            ["version"] = status.Version,
            ["updatedAt"] = Instant.ToText(status.UpdatedAt),
            ["nextDeadline"] = status is { NextKind: { } kind, NextDueAt: { } due }
                ? new JsonObject { ["kind"] = kind, ["dueAt"] = Instant.ToText(due) }
                : null,
        },
    };

    private static string Envelope(string type, DateTimeOffset timestamp, JsonObject data) =>
        new JsonObject { ["type"] = type, ["timestamp"] = Instant.ToText(timestamp), ["data"] = data }.ToJsonString();
}
