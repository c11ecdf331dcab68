using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Partners;

public static partial class GetChanges
{
    /// <summary>
    /// Positions are dense per audience and taken inside the write transaction (see the case store's
    /// ChangeFeedSql.Append), so reading in Seq order after a position never skips one that commits later.
    /// </summary>
    public static class Sql
    {
        /// <summary>The page's columns, in the order <see cref="StreamedPage"/> reads them.</summary>
        public const string Columns = "Seq, CaseId, Reference, Version, State, Type, OccurredAt, RecordedAt";

        /// <summary>
        /// The case id and the instants come back as text in both dialects (SQL Server converts them: the id to its 36
        /// characters, the instants to SQLite's stored form), so a page is streamed as read.
        /// </summary>
        public static readonly SqlStatement Page = new(
            Sqlite: $"SELECT {Columns} FROM ChangeFeed WHERE Audience = @Audience AND Seq > @After ORDER BY Seq LIMIT @Limit",
            SqlServer: $"SELECT TOP (@Limit) Seq, CONVERT(char(36), CaseId) AS CaseId, Reference, Version, State, Type, {Json.StoredInstant.SqlServerText("OccurredAt")} AS OccurredAt, "
                + $"{Json.StoredInstant.SqlServerText("RecordedAt")} AS RecordedAt FROM dbo.ChangeFeed WHERE Audience = @Audience AND Seq > @After ORDER BY Seq;");
    }
}
