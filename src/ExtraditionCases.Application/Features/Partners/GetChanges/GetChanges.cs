using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Application.Abstractions;
using MediatR;

namespace ExtraditionCases.Application.Features.Partners;

/// <summary>
/// The change feed: one item per recorded event of the cases the caller may see, in commit order.
/// Each audience (a country, or all cases for auditors) has its own dense positions, so a cursor is
/// only ever a position in the caller's own feed.
/// </summary>
public static partial class GetChanges
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The auditors' audience: every case. The case store appends each event to it too.</summary>
    public const string AllCases = "**";

    /// <summary>Opaque to clients: a position in the caller's feed.</summary>
    public static readonly CursorFormat<long> Cursor = new("feed1", seq => [seq], r => r.Long());

    /// <param name="After">The position to read after: 0 for the beginning.</param>
    public sealed record Query(Caller Caller, long After, int Limit) : IRequest<Page>;

    public sealed record Item(
        Guid CaseId, string Reference, int Version, [property: NamesOf(typeof(CaseState))] string State,
        [property: OpenSet(typeof(CaseChange), nameof(CaseChange.KnownTypes))] string Type, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt);

    /// <summary>Unlike a list page, a feed page always says where to poll from next, even when nothing is new.</summary>
    public sealed record Page(IReadOnlyList<Item> Items, string NextCursor);

    /// <summary>One change of a case as a feed item; <see cref="Seq"/> is its position in one audience's feed.</summary>
    public sealed record FeedItem(
        long Seq, Guid CaseId, string Reference, int Version, string State, string Type, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt);

    public static string WriteCursor(long seq) => Cursor.Write(seq);

    public sealed class Handler(IDatabaseSession session) : IRequestHandler<Query, Page>
    {
        public async Task<Page> Handle(Query request, CancellationToken cancellationToken)
        {
            var audience = request.Caller.IsAuditor ? AllCases : request.Caller.Country;
            var items = audience is null ? [] : await ReadAsync(session, audience, request.After, request.Limit, cancellationToken);
            var next = items.Count > 0 ? items[^1].Seq : request.After;
            return new Page(
                [.. items.Select(i => new Item(i.CaseId, i.Reference, i.Version, i.State, i.Type, i.OccurredAt, i.RecordedAt))],
                Cursor.Write(next));
        }
    }

    /// <summary>The audience's feed after <paramref name="afterSeq"/>, in commit order.</summary>
    public static async Task<IReadOnlyList<FeedItem>> ReadAsync(
        IDatabaseSession session, string audience, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync<Row>(Sql.Page, new { Audience = audience, After = afterSeq, Limit = limit }, cancellationToken);
        return [.. rows.Select(r => new FeedItem(r.Seq, r.CaseId, r.Reference, r.Version, r.State, r.Type, r.OccurredAt, r.RecordedAt))];
    }

    private sealed class Row
    {
        public long Seq { get; init; }
        public Guid CaseId { get; init; }
        public string Reference { get; init; } = "";
        public int Version { get; init; }
        public string State { get; init; } = "";
        public string Type { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
    }
}
