using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.History;

/// <summary>Reads of the append-only history and the partners' status document, in both dialects.</summary>
public sealed record HistorySql(string CaseEvents, string CaseHead, string AuditPage, string StatusHead, string Status)
{
    private const string EventColumns =
        "CaseId, Sequence, Type, [Trigger], FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole, ActorAgency, ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash";

    // Audit pages follow the auditors' change feed: commit order, so no page can miss an event that
    // committed after it was read (RecordedAt is when a write began, not when it committed).
    // Subjects are compared exactly: SQL Server's default collation would take 'alice' for 'Alice'.
    private const string AuditFilter = """
        WHERE f.Audience = '**' AND f.Seq > @AfterSeq
          AND (@From IS NULL OR e.RecordedAt >= @From)
          AND (@To IS NULL OR e.RecordedAt < @To)
          AND (@CaseId IS NULL OR f.CaseId = @CaseId)
          AND (@ActorSubject IS NULL OR e.ActorSubject = @ActorSubject)
        """;

    private const string ExactSubject = "e.ActorSubject = @ActorSubject COLLATE Latin1_General_100_BIN2";

    private const string AuditColumns =
        "f.Seq, e.CaseId, e.Sequence, e.Type, e.[Trigger], e.FromState, e.ToState, e.OccurredAt, e.RecordedAt, e.ActorSubject, e.ActorRole, e.ActorAgency, e.ActorCountry, e.ActorIssuer, e.RequestId, e.ClientAddress, e.Note, e.Data, e.PrevHash, e.Hash";

    // Of clocks due at the same instant, the one started first: the same answer on every read.
    private const string StatusColumns =
        "c.Id, c.Reference, c.State, c.StateSince, c.Version, c.UpdatedAt, c.RequestingState, c.RequestedState";

    // The soonest clock still running at @Now; ties go to the clock started first.
    private const string Running = "d.CaseId = c.Id AND d.Status IN ('Pending', 'Extended') AND d.DueAt >= @Now ORDER BY d.DueAt, d.Ordinal";

    public static readonly Dialect<HistorySql> Statements = new(
        Sqlite: new HistorySql(
            CaseEvents: $"SELECT {EventColumns} FROM CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence",
            CaseHead: "SELECT Version, HeadHash FROM Cases WHERE Id = @CaseId",
            AuditPage: $"SELECT {AuditColumns} FROM ChangeFeed f JOIN CaseEvents e ON e.CaseId = f.CaseId AND e.Sequence = f.Version {AuditFilter} ORDER BY f.Seq LIMIT @Limit",
            StatusHead: "SELECT RequestingState, RequestedState, Version FROM Cases WHERE Id = @Id",
            // One statement for a 200: the status, its parties (for the access check) and the next clock.
            Status: $"""
                SELECT {StatusColumns},
                       (SELECT d.Kind FROM Deadlines d WHERE {Running} LIMIT 1) AS NextKind,
                       (SELECT d.DueAt FROM Deadlines d WHERE {Running} LIMIT 1) AS NextDueAt
                FROM Cases c WHERE c.Id = @Id
                """),
        SqlServer: new HistorySql(
            CaseEvents: $"SELECT {EventColumns} FROM dbo.CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence;",
            CaseHead: "SELECT Version, HeadHash FROM dbo.Cases WHERE Id = @CaseId;",
            AuditPage: $"SELECT TOP (@Limit) {AuditColumns} FROM dbo.ChangeFeed f JOIN dbo.CaseEvents e ON e.CaseId = f.CaseId AND e.Sequence = f.Version {AuditFilter.Replace("e.ActorSubject = @ActorSubject", ExactSubject, StringComparison.Ordinal)} ORDER BY f.Seq OPTION (RECOMPILE);",
            StatusHead: "SELECT RequestingState, RequestedState, Version FROM dbo.Cases WHERE Id = @Id;",
            Status: $"""
                SELECT {StatusColumns}, n.Kind AS NextKind, n.DueAt AS NextDueAt
                FROM dbo.Cases c
                OUTER APPLY (SELECT TOP (1) d.Kind, d.DueAt FROM dbo.Deadlines d WHERE {Running}) n
                WHERE c.Id = @Id;
                """));
}
