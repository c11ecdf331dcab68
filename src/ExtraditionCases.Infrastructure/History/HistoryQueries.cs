using System.Text.Json.Nodes;
using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.History;

public sealed class HistoryQueries(DatabaseSession session) : IHistoryQueries, IStatusQueries
{
    private readonly HistorySql _sql = HistorySql.Statements.For(session.Provider);

    public async Task<IReadOnlyList<CaseEvent>> EventsAsync(Guid caseId, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(Command(_sql.CaseEvents, new { CaseId = caseId }, cancellationToken));
        return [.. rows.Select(r => r.ToEvent())];
    }

    public async Task<CaseHead?> HeadOfAsync(Guid caseId, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CaseHeadRow>(Command(_sql.CaseHead, new { CaseId = caseId }, cancellationToken));
        return row is null ? null : new CaseHead(row.Version, row.HeadHash.Trim());
    }

    public async Task<IReadOnlyList<CaseEventRecord>> AuditPageAsync(AuditEventFilter filter, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(Command(_sql.AuditPage, new
        {
            filter.From,
            filter.To,
            filter.CaseId,
            filter.ActorSubject,
            filter.Limit,
            filter.AfterSeq,
        }, cancellationToken));
        return [.. rows.Select(r => new CaseEventRecord(r.Seq, r.CaseId, r.ToEvent()))];
    }

    public async Task<StatusHead?> HeadAsync(Guid id, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StatusHeadRow>(Command(_sql.StatusHead, new { Id = id }, cancellationToken)) is { } row
            ? new StatusHead(row.RequestingState, row.RequestedState, row.Version)
            : null;
    }

    public async Task<StatusRead?> ReadAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StatusRow>(Command(_sql.Status, new { Id = id, Now = now }, cancellationToken));
        if (row is null) return null;
        return new StatusRead(
            new StatusHead(row.RequestingState, row.RequestedState, row.Version),
            new CaseStatus(row.Id, row.Reference, row.State, row.StateSince, row.Version, row.UpdatedAt,
                row.NextKind is null || row.NextDueAt is null ? null : new NextDeadline(row.NextKind, row.NextDueAt.Value)));
    }

    private CommandDefinition Command(string sql, object parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, session.Transaction, cancellationToken: cancellationToken);

    private sealed class EventRow
    {
        public long Seq { get; init; }
        public Guid CaseId { get; init; }
        public int Sequence { get; init; }
        public string Type { get; init; } = "";
        public string? Trigger { get; init; }
        public string? FromState { get; init; }
        public string? ToState { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
        public string ActorSubject { get; init; } = "";
        public string ActorRole { get; init; } = "";
        public string? ActorAgency { get; init; }
        public string? ActorCountry { get; init; }
        public string? ActorIssuer { get; init; }
        public string? RequestId { get; init; }
        public string? ClientAddress { get; init; }
        public string? Note { get; init; }
        public string Data { get; init; } = "{}";
        public string PrevHash { get; init; } = "";
        public string Hash { get; init; } = "";

        // Fixed-width nchar columns pad with spaces on SQL Server; trim what is stored as codes and hashes.
        public CaseEvent ToEvent() => new(
            Sequence, Type.Trim(), Trigger?.Trim(), FromState?.Trim(), ToState?.Trim(), OccurredAt, RecordedAt,
            new EventActor(ActorSubject, ActorRole, ActorAgency, ActorCountry?.Trim(), ActorIssuer),
            new EventSource(RequestId, ClientAddress),
            Note,
            JsonNode.Parse(Data)!.AsObject(),
            PrevHash.Trim(),
            Hash.Trim());
    }

    private sealed class CaseHeadRow
    {
        public int Version { get; init; }
        public string HeadHash { get; init; } = "";
    }

    private sealed class StatusHeadRow
    {
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public int Version { get; init; }
    }

    private sealed class StatusRow
    {
        public Guid Id { get; init; }
        public string Reference { get; init; } = "";
        public string State { get; init; } = "";
        public DateTimeOffset StateSince { get; init; }
        public int Version { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public string? NextKind { get; init; }
        public DateTimeOffset? NextDueAt { get; init; }
    }
}
