using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.History;

/// <summary>Reads of the append-only history and the partners' status document, in both dialects.</summary>
public sealed record HistorySql(string CaseEvents, string AuditPage, string StatusHead, string Status, string NextDeadline)
{
    private const string EventColumns =
        "CaseId, Sequence, Type, [Trigger], FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole, ActorAgency, ActorCountry, RequestId, ClientAddress, Note, Data, PrevHash, Hash";

    private const string AuditFilter = """
        WHERE (@From IS NULL OR RecordedAt >= @From)
          AND (@To IS NULL OR RecordedAt < @To)
          AND (@CaseId IS NULL OR CaseId = @CaseId)
          AND (@ActorSubject IS NULL OR ActorSubject = @ActorSubject)
          AND (@AfterRecordedAt IS NULL OR RecordedAt > @AfterRecordedAt
            OR (RecordedAt = @AfterRecordedAt AND (CaseId > @AfterCaseId OR (CaseId = @AfterCaseId AND Sequence > @AfterSequence))))
        """;

    private const string NextDeadlineFilter =
        "WHERE CaseId = @Id AND Status IN ('Pending', 'Extended') AND DueAt >= @Now ORDER BY DueAt";

    public static readonly Dialect<HistorySql> Statements = new(
        Sqlite: new HistorySql(
            CaseEvents: $"SELECT {EventColumns} FROM CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence",
            AuditPage: $"SELECT {EventColumns} FROM CaseEvents {AuditFilter} ORDER BY RecordedAt, CaseId, Sequence LIMIT @Limit",
            StatusHead: "SELECT RequestingState, RequestedState, Version FROM Cases WHERE Id = @Id",
            Status: "SELECT Id, Reference, State, StateSince, Version, UpdatedAt FROM Cases WHERE Id = @Id",
            NextDeadline: $"SELECT Kind, DueAt FROM Deadlines {NextDeadlineFilter} LIMIT 1"),
        SqlServer: new HistorySql(
            CaseEvents: $"SELECT {EventColumns} FROM dbo.CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence;",
            AuditPage: $"SELECT TOP (@Limit) {EventColumns} FROM dbo.CaseEvents {AuditFilter} ORDER BY RecordedAt, CaseId, Sequence OPTION (RECOMPILE);",
            StatusHead: "SELECT RequestingState, RequestedState, Version FROM dbo.Cases WHERE Id = @Id;",
            Status: "SELECT Id, Reference, State, StateSince, Version, UpdatedAt FROM dbo.Cases WHERE Id = @Id;",
            NextDeadline: $"SELECT TOP (1) Kind, DueAt FROM dbo.Deadlines {NextDeadlineFilter};"));
}
