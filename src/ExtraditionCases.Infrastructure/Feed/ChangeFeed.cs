using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Feed;

public sealed class ChangeFeed(DatabaseSession session) : IChangeFeed
{
    private readonly ChangeFeedSql _sql = ChangeFeedSql.Statements.For(session.Provider);

    public async Task<IReadOnlyList<FeedItem>> PageAsync(string audience, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(_sql.Page, new { Audience = audience, After = afterSeq, Limit = limit },
            session.Transaction, cancellationToken: cancellationToken));
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
