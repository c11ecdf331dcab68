using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Workflow;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using MediatR;

namespace ExtraditionCases.Application.Features.Audit;

/// <summary>An event of the audit list: a history event and, last, the case it belongs to.</summary>
public sealed record AuditEvent(
    int Sequence,
    [property: OpenSet(typeof(CaseChange), nameof(CaseChange.KnownTypes))] string Type,
    [property: NamesOf(typeof(WorkflowTrigger))] string? Trigger,
    [property: NamesOf(typeof(CaseState))] string? FromState,
    [property: NamesOf(typeof(CaseState))] string? ToState,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    EventActor Actor,
    EventSource Source,
    string? Note,
    JsonObject Data,
    string PrevHash,
    string Hash,
    Guid CaseId)
{
    public static AuditEvent Of(Guid caseId, CaseEvent e) =>
        new(e.Sequence, e.Type, e.Trigger, e.FromState, e.ToState, e.OccurredAt, e.RecordedAt, e.Actor, e.Source, e.Note, e.Data, e.PrevHash, e.Hash, caseId);
}

/// <summary>Auditors' cross-case view of every recorded event, in commit order.</summary>
public static partial class ListAuditEvents
{
    /// <summary>Opaque to clients: a position in the auditors' change feed.</summary>
    public static readonly CursorFormat<long> Cursor = new("ev2", seq => [seq], r => r.Long());

    /// <param name="AfterSeq">A position in the auditors' change feed: pages follow commit order.</param>
    public sealed record Query(AuditWindow Window, int Limit, long AfterSeq) : IRequest<Page<AuditEvent>>;


    public sealed record Record(long Seq, Guid CaseId, CaseEvent Event);

    public sealed class Handler(IDatabaseSession session) : IRequestHandler<Query, Page<AuditEvent>>
    {
        public async Task<Page<AuditEvent>> Handle(Query request, CancellationToken cancellationToken)
        {
            var rows = await ReadAsync(session,
                request with { Limit = request.Limit + 1 }, cancellationToken);
            return Paging.Of(rows, request.Limit, Cursor, r => r.Seq, r => AuditEvent.Of(r.CaseId, r.Event));
        }
    }

    public static async Task<IReadOnlyList<Record>> ReadAsync(IDatabaseSession session, Query filter, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync<GetHistory.EventRow>(Sql.Page, new
        {
            filter.Window.From,
            filter.Window.To,
            filter.Window.CaseId,
            ActorSubject = filter.Window.Subject,
            filter.Limit,
            filter.AfterSeq,
        }, cancellationToken);
        return [.. rows.Select(r => new Record(r.Seq, r.CaseId, r.ToEvent()))];
    }
}
