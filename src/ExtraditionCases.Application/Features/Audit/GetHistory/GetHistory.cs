using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.History;
using MediatR;

namespace ExtraditionCases.Application.Features.Audit;

/// <summary>A case's complete history as auditors (and the officers of its states) receive it.</summary>
public static partial class GetHistory
{
    public sealed record Query(Caller Caller, Guid Id) : IRequest<View>;

    /// <summary>
    /// The events in order; <see cref="Head"/> is the hash of the last one (the genesis hash when there is none).
    /// <see cref="Transparency"/> travels beside the events, never inside one (the contract).
    /// </summary>
    public sealed record View(Guid CaseId, string Head, IReadOnlyList<CaseEvent> Events, Transparency.HistoryTransparency? Transparency = null);

    public sealed class Handler(ICaseStore cases, IDatabaseSession session, ITransparencyKeys keys)
        : IRequestHandler<Query, View>, IRequestHandler<StoredQuery, Stored>
    {
        public async Task<View> Handle(Query request, CancellationToken cancellationToken) =>
            (await Handle(new StoredQuery(request.Caller, request.Id), cancellationToken)).ToView();

        public async Task<Stored> Handle(StoredQuery request, CancellationToken cancellationToken)
        {
            await CheckVisibleAsync(cases, request.Caller, request.Id, cancellationToken);
            var rows = await session.QueryAsync<StoredRow>(Sql.StoredEvents, new { CaseId = request.Id }, cancellationToken);
            var transparency = await Transparency.HistoryTransparency.ForAsync(session, keys, request.Caller, request.Id, cancellationToken);
            return new Stored(request.Id, rows, transparency);
        }
    }

    /// <summary>The history as stored rows, for a writer that streams them (<see cref="Stored.WriteTo"/>).</summary>
    public sealed record StoredQuery(Caller Caller, Guid Id) : IRequest<Stored>;

    /// <summary>Every event of a case the caller may read the history of, by sequence, exactly as stored; 404 for any other.</summary>
    public static async Task<IReadOnlyList<CaseEvent>> VisibleEventsAsync(
        ICaseStore cases, IDatabaseSession session, Caller caller, Guid id, CancellationToken cancellationToken) =>
        [.. (await VisibleRowsAsync(cases, session, caller, id, cancellationToken)).Select(r => r.ToEvent())];

    /// <summary>The rows of <see cref="VisibleEventsAsync"/>, their data still the stored text.</summary>
    public static async Task<IReadOnlyList<EventRow>> VisibleRowsAsync(
        ICaseStore cases, IDatabaseSession session, Caller caller, Guid id, CancellationToken cancellationToken)
    {
        await CheckVisibleAsync(cases, caller, id, cancellationToken);
        return [.. await session.QueryAsync<EventRow>(Sql.CaseEvents, new { CaseId = id }, cancellationToken)];
    }

    /// <summary>404 unless the case exists and the caller may read its history.</summary>
    private static async Task CheckVisibleAsync(ICaseStore cases, Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var parties = await cases.FindPartiesAsync(id, cancellationToken);
        if (parties is null || !CaseAccess.MaySee(caller, parties.RequestingState, parties.RequestedState) || !(caller.IsOfficer || caller.IsAuditor))
            throw new NotFoundException($"No case {id}.");
    }

    /// <summary>Every event of a case, by sequence, exactly as stored.</summary>
    public static async Task<IReadOnlyList<CaseEvent>> EventsAsync(IDatabaseSession session, Guid caseId, CancellationToken cancellationToken) =>
        [.. (await session.QueryAsync<EventRow>(Sql.CaseEvents, new { CaseId = caseId }, cancellationToken)).Select(r => r.ToEvent())];

    /// <summary>An event as stored in CaseEvents, with the feed position when read through the audit feed.</summary>
    public sealed class EventRow
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

    /// <summary>
    /// An event as the streamed history reads it (<see cref="Sql.StoredEvents"/>): every member the response has, the
    /// instants as their stored text (written as they are when canonical, see <see cref="Json.StoredInstant"/>).
    /// </summary>
    public sealed class StoredRow
    {
        public int Sequence { get; init; }
        public string Type { get; init; } = "";
        public string? Trigger { get; init; }
        public string? FromState { get; init; }
        public string? ToState { get; init; }
        public string OccurredAt { get; init; } = "";
        public string RecordedAt { get; init; } = "";
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

        public CaseEvent ToEvent() => new(
            Sequence, Type.Trim(), Trigger?.Trim(), FromState?.Trim(), ToState?.Trim(),
            Json.StoredInstant.Parse(OccurredAt), Json.StoredInstant.Parse(RecordedAt),
            new EventActor(ActorSubject, ActorRole, ActorAgency, ActorCountry?.Trim(), ActorIssuer),
            new EventSource(RequestId, ClientAddress),
            Note,
            JsonNode.Parse(Data)!.AsObject(),
            PrevHash.Trim(),
            Hash.Trim());
    }
}
