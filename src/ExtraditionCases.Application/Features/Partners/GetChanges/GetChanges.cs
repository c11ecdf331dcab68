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

    /// <summary>The page as read, for the endpoint to write (<see cref="StoredPage.WriteTo"/>); the same page as <see cref="Query"/>.</summary>
    public sealed record StoredQuery(Caller Caller, long After, int Limit) : IRequest<StoredPage>;

    public sealed class Handler(IDatabaseSession session) : IRequestHandler<Query, Page>, IRequestHandler<StoredQuery, StoredPage>
    {
        public async Task<Page> Handle(Query request, CancellationToken cancellationToken) =>
            (await Handle(new StoredQuery(request.Caller, request.After, request.Limit), cancellationToken)).ToPage();

        public async Task<StoredPage> Handle(StoredQuery request, CancellationToken cancellationToken)
        {
            var audience = request.Caller.IsAuditor ? AllCases : request.Caller.Country;
            var rows = audience is null ? [] : await RowsAsync(session, audience, request.After, request.Limit, cancellationToken);
            return new StoredPage(rows, Cursor.Write(rows.Count > 0 ? rows[^1].Seq : request.After));
        }
    }

    /// <summary>The audience's feed after <paramref name="afterSeq"/>, in commit order.</summary>
    public static async Task<IReadOnlyList<FeedItem>> ReadAsync(
        IDatabaseSession session, string audience, long afterSeq, int limit, CancellationToken cancellationToken) =>
        [.. (await RowsAsync(session, audience, afterSeq, limit, cancellationToken)).Select(r => r.ToFeedItem())];

    private static Task<IReadOnlyList<StoredItem>> RowsAsync(IDatabaseSession session, string audience, long afterSeq, int limit, CancellationToken cancellationToken) =>
        session.QueryAsync<StoredItem>(Sql.Page, new { Audience = audience, After = afterSeq, Limit = limit }, cancellationToken);

    /// <summary>A feed row as read: the instants as their stored text (<see cref="Json.StoredInstant"/>), written as they are.</summary>
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
    /// A feed page as read. <see cref="WriteTo"/> writes the very bytes <c>JsonSerializer.Serialize(ToPage(), CaseJson.Options)</c>
    /// gives (members in the records' order, the same encoder), without parsing and re-formatting the instants (issue 20).
    /// </summary>
    public sealed record StoredPage(IReadOnlyList<StoredItem> Rows, string NextCursor)
    {
        public Page ToPage() =>
            new([.. Rows.Select(r => r.ToFeedItem()).Select(i => new Item(i.CaseId, i.Reference, i.Version, i.State, i.Type, i.OccurredAt, i.RecordedAt))], NextCursor);

        /// <summary>The writer options the response needs to match the serializer's output byte for byte.</summary>
        public static System.Text.Json.JsonWriterOptions WriterOptions => new() { Encoder = CaseJson.Options.Encoder, Indented = false };

        public void WriteTo(System.Text.Json.Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("items"u8);
            writer.WriteStartArray();
            foreach (var row in Rows)
            {
                writer.WriteStartObject();
                writer.WriteString("caseId"u8, row.CaseId);
                writer.WriteString("reference"u8, row.Reference);
                writer.WriteNumber("version"u8, row.Version);
                writer.WriteString("state"u8, row.State);
                writer.WriteString("type"u8, row.Type);
                Json.StoredInstant.Write(writer, "occurredAt"u8, row.OccurredAt);
                Json.StoredInstant.Write(writer, "recordedAt"u8, row.RecordedAt);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("nextCursor"u8, NextCursor);
            writer.WriteEndObject();
        }
    }
}
