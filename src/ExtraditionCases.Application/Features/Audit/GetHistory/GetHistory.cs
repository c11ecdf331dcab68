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

    public sealed class Handler(IDatabaseSession session, ITransparencyKeys keys)
        : IRequestHandler<Query, View>, IRequestHandler<StoredQuery, Stored>
    {
        public async Task<View> Handle(Query request, CancellationToken cancellationToken) =>
            await (await Handle(new StoredQuery(request.Caller, request.Id), cancellationToken)).ToViewAsync(cancellationToken);

        /// <summary>The visibility check and the head (one read), then the transparency member; the events stay to be streamed.</summary>
        public async Task<Stored> Handle(StoredQuery request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            var head = await session.QuerySingleOrDefaultAsync<HeadRow>(Sql.CaseHead, new { CaseId = request.Id }, cancellationToken);
            if (head is null || !MayRead(caller, head.RequestingState.Trim(), head.RequestedState.Trim()))
                throw new NotFoundException($"No case {request.Id}.");

            var through = head.Through ?? 0;
            // An event appended since the head was read is not in this history, so neither is its leaf.
            var transparency = (await Transparency.HistoryTransparency.ForAsync(session, keys, caller, request.Id, cancellationToken)).Through(through);
            return new Stored(session, request.Id, head.Head?.Trim() ?? CaseEvent.GenesisHash, through, transparency);
        }

        private sealed class HeadRow
        {
            public string RequestingState { get; init; } = "";
            public string RequestedState { get; init; } = "";
            public int? Through { get; init; }
            public string? Head { get; init; }
        }
    }

    /// <summary>The history with its head read and its events left in the database, for a writer that streams them (<see cref="Stored.WriteTo"/>).</summary>
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
        if (parties is null || !MayRead(caller, parties.RequestingState, parties.RequestedState)) throw new NotFoundException($"No case {id}.");
    }

    /// <summary>Auditors, and the officers of the case's two states.</summary>
    private static bool MayRead(Caller caller, string requestingState, string requestedState) =>
        (caller.IsOfficer || caller.IsAuditor) && CaseAccess.MaySee(caller, requestingState, requestedState);

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
    /// An event as the streamed history reads it (<see cref="Sql.StoredEvents"/>; the constants are its column ordinals):
    /// every member the response has, the instants as their stored text (written as they are when canonical, see
    /// <see cref="Json.StoredInstant"/>). Only the typed view makes one (<see cref="Stored.ToViewAsync"/>).
    /// </summary>
    public sealed class StoredRow
    {
        public const int Sequence = 0, Type = 1, Trigger = 2, FromState = 3, ToState = 4, OccurredAt = 5, RecordedAt = 6, ActorSubject = 7,
            ActorRole = 8, ActorAgency = 9, ActorCountry = 10, ActorIssuer = 11, RequestId = 12, ClientAddress = 13, Note = 14, Data = 15,
            PrevHash = 16, Hash = 17;

        private readonly string?[] _text = new string?[18];
        private long _sequence;

        public static StoredRow From(IStreamedRow row)
        {
            var read = new StoredRow { _sequence = row.GetInt64(Sequence) };
            for (var i = Type; i <= Hash; i++) read._text[i] = row.IsNull(i) ? null : System.Text.Encoding.UTF8.GetString(row.GetUtf8(i));
            return read;
        }

        /// <summary>The stored text of a column (null for SQL NULL).</summary>
        public string? this[int ordinal] => _text[ordinal];

        public CaseEvent ToEvent() => new(
            (int)_sequence, _text[Type]!.Trim(), _text[Trigger]?.Trim(), _text[FromState]?.Trim(), _text[ToState]?.Trim(),
            Json.StoredInstant.Parse(_text[OccurredAt]!), Json.StoredInstant.Parse(_text[RecordedAt]!),
            new EventActor(_text[ActorSubject]!, _text[ActorRole]!, _text[ActorAgency], _text[ActorCountry]?.Trim(), _text[ActorIssuer]),
            new EventSource(_text[RequestId], _text[ClientAddress]),
            _text[Note],
            JsonNode.Parse(_text[Data]!)!.AsObject(),
            _text[PrevHash]!.Trim(),
            _text[Hash]!.Trim());
    }
}
