using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Feed;

/// <summary>
/// The change feed's append, in both dialects (readers page through it in GetChanges and ListAuditEvents). Positions are dense per audience and taken inside the write
/// transaction: SQLite has one writer at a time; on SQL Server UPDLOCK + HOLDLOCK on the audience's
/// last key makes the next writer of that audience wait until this one commits, so positions become
/// visible in order and no reader can skip one that commits later.
/// </summary>
public sealed record ChangeFeedSql(string Append)
{
    private const string Columns = "Audience, Seq, CaseId, Reference, Version, State, Type, OccurredAt, RecordedAt";
    private const string Values = "@Audience, COALESCE(MAX(Seq), 0) + 1, @CaseId, @Reference, @Version, @State, @Type, @OccurredAt, @RecordedAt";

    public static readonly Dialect<ChangeFeedSql> Statements = new(
        Sqlite: new ChangeFeedSql(
            Append: $"INSERT INTO ChangeFeed ({Columns}) SELECT {Values} FROM ChangeFeed WHERE Audience = @Audience"),
        SqlServer: new ChangeFeedSql(
            Append: $"INSERT INTO dbo.ChangeFeed ({Columns}) SELECT {Values} FROM dbo.ChangeFeed WITH (UPDLOCK, HOLDLOCK) WHERE Audience = @Audience;"));
}
