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

    /// <summary>The page left in the database for the endpoint to stream (<see cref="StreamedPage.WriteTo"/>); the same page as <see cref="Query"/>.</summary>
    public sealed record StoredQuery(Caller Caller, long After, int Limit) : IRequest<StreamedPage>;

    public sealed class Handler(IDatabaseSession session) : IRequestHandler<Query, Page>, IRequestHandler<StoredQuery, StreamedPage>
    {
        public async Task<Page> Handle(Query request, CancellationToken cancellationToken)
        {
            var audience = AudienceOf(request.Caller);
            var rows = audience is null ? [] : await RowsAsync(session, audience, request.After, request.Limit, cancellationToken);
            return new Page([.. rows.Select(r => r.ToFeedItem()).Select(i => new Item(i.CaseId, i.Reference, i.Version, i.State, i.Type, i.OccurredAt, i.RecordedAt))],
                Cursor.Write(rows.Count > 0 ? rows[^1].Seq : request.After));
        }

        public Task<StreamedPage> Handle(StoredQuery request, CancellationToken cancellationToken) =>
            Task.FromResult(new StreamedPage(session, AudienceOf(request.Caller), request.After, request.Limit));
    }

    /// <summary>Auditors read every case's feed; anyone else their country's; a caller with neither reads nothing.</summary>
    private static string? AudienceOf(Caller caller) => caller.IsAuditor ? AllCases : caller.Country;

    /// <summary>The audience's feed after <paramref name="afterSeq"/>, in commit order.</summary>
    public static async Task<IReadOnlyList<FeedItem>> ReadAsync(
        IDatabaseSession session, string audience, long afterSeq, int limit, CancellationToken cancellationToken) =>
        [.. (await RowsAsync(session, audience, afterSeq, limit, cancellationToken)).Select(r => r.ToFeedItem())];

    private static Task<IReadOnlyList<StoredItem>> RowsAsync(IDatabaseSession session, string audience, long afterSeq, int limit, CancellationToken cancellationToken) =>
        session.QueryAsync<StoredItem>(Sql.Page, new { Audience = audience, After = afterSeq, Limit = limit }, cancellationToken);

    /// <summary>A feed row as read: the instants as their stored text (<see cref="Json.StoredInstant"/>).</summary>
    public sealed class StoredItem
    {
        public long Seq { get; init; }
        public Guid CaseId { get; init; }
        public string Reference { get; init; } = "";
        public int Version { get; init; }
        public string State { get; init; } = "";
        public string Type { get; init; } = "";
        public string OccurredAt { get; init; } = "";
        public string RecordedAt { get; init; } = "";

        public FeedItem ToFeedItem() => new(Seq, CaseId, Reference, Version, State, Type, Json.StoredInstant.Parse(OccurredAt), Json.StoredInstant.Parse(RecordedAt));
    }

    /// <summary>
    /// A feed page whose rows are still in the database: <see cref="WriteTo"/> streams them from the statement into the
    /// writer, the very bytes <c>JsonSerializer.Serialize(page, CaseJson.Options)</c> gives for the <see cref="Query"/>'s
    /// page (members in the records' order, the same encoder, instants written as stored), with no object per row
    /// (issue 20, sixth round).
    /// </summary>
    public sealed class StreamedPage(IDatabaseSession session, string? audience, long after, int limit)
    {
        private readonly List<Guid> _returned = [];
        private readonly HashSet<Guid> _seen = [];

        /// <summary>The cases the written page returned, each once, in first-seen order (the access log's); known after <see cref="WriteTo"/>.</summary>
        public IReadOnlyList<Guid> ReturnedCases => _returned;

        /// <summary>The writer options the response needs to match the serializer's output byte for byte.</summary>
        public static System.Text.Json.JsonWriterOptions WriterOptions => new() { Encoder = CaseJson.Options.Encoder, Indented = false };

        /// <summary>Writes the whole page and flushes the writer (not the sink): the response is sent after the statement is done.</summary>
        public async Task WriteTo(System.Text.Json.Utf8JsonWriter writer, CancellationToken cancellationToken)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("items"u8);
            writer.WriteStartArray();
            var last = after;
            if (audience is not null)
                await session.StreamAsync(Sql.Page, new { Audience = audience, After = after, Limit = limit }, row => last = Write(writer, row), cancellationToken);
            writer.WriteEndArray();
            writer.WriteString("nextCursor"u8, Cursor.Write(last));
            writer.WriteEndObject();
            writer.Flush();
        }

        /// <summary>One item, columns in the statement's order (<see cref="Sql.Columns"/>); returns its position.</summary>
        private long Write(System.Text.Json.Utf8JsonWriter writer, IStreamedRow row)
        {
            var seq = row.GetInt64(0);
            // Text in both dialects (SQL Server's statement converts it), upper or lower case.
            if (!System.Buffers.Text.Utf8Parser.TryParse(row.GetUtf8(1), out Guid caseId, out var used) || used != 36)
                throw new InvalidOperationException($"A change-feed row at {seq} has no readable case id.");
            if (_seen.Add(caseId)) _returned.Add(caseId);
            writer.WriteStartObject();
            writer.WriteString("caseId"u8, caseId);
            writer.WriteString("reference"u8, row.GetUtf8(2));
            writer.WriteNumber("version"u8, row.GetInt64(3));
            writer.WriteString("state"u8, row.GetUtf8(4));
            writer.WriteString("type"u8, row.GetUtf8(5));
            Json.StoredInstant.Write(writer, "occurredAt"u8, row.GetUtf8(6));
            Json.StoredInstant.Write(writer, "recordedAt"u8, row.GetUtf8(7));
            writer.WriteEndObject();
            return seq;
        }
    }
}
