using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Audit;

public static partial class ListAuditEvents
{
    /// <summary>
    /// Audit pages follow the auditors' change feed: commit order, so no page can miss an event that
    /// committed after it was read (RecordedAt is when a write began, not when it committed).
    /// </summary>
    public static class Sql
    {
        private const string Columns =
            "f.Seq, e.CaseId, e.Sequence, e.Type, e.[Trigger], e.FromState, e.ToState, e.OccurredAt, e.RecordedAt, e.ActorSubject, e.ActorRole, e.ActorAgency, e.ActorCountry, e.ActorIssuer, e.RequestId, e.ClientAddress, e.Note, e.Data, e.PrevHash, e.Hash";

        private const string Window = """
            WHERE f.Audience = '**' AND f.Seq > @AfterSeq
              AND (@From IS NULL OR e.RecordedAt >= @From)
              AND (@To IS NULL OR e.RecordedAt < @To)
              AND (@CaseId IS NULL OR f.CaseId = @CaseId)
            """;

        // Subjects are compared exactly: SQL Server's default collation would take 'alice' for 'Alice'.
        public static readonly SqlStatement Page = new(
            Sqlite: $"""
                SELECT {Columns} FROM ChangeFeed f JOIN CaseEvents e ON e.CaseId = f.CaseId AND e.Sequence = f.Version
                {Window}
                  AND (@ActorSubject IS NULL OR e.ActorSubject = @ActorSubject)
                ORDER BY f.Seq LIMIT @Limit
                """,
            SqlServer: $"""
                SELECT TOP (@Limit) {Columns} FROM dbo.ChangeFeed f JOIN dbo.CaseEvents e ON e.CaseId = f.CaseId AND e.Sequence = f.Version
                {Window}
                  AND (@ActorSubject IS NULL OR e.ActorSubject = @ActorSubject COLLATE Latin1_General_100_BIN2)
                ORDER BY f.Seq OPTION (RECOMPILE);
                """);
    }
}
