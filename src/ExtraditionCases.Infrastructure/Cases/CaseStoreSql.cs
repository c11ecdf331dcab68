using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Cases;

/// <summary>Every statement <see cref="CaseStore"/> runs, in both dialects. Parameters only; never concatenated input.</summary>
public sealed record CaseStoreSql(
    string NextReferenceNumber,
    string FindCase,
    string FindDeadlines,
    string FindDeadlinesOfCases,
    string FindParties,
    string InsertCase,
    string UpdateCase,
    string InsertEvent,
    string DeleteDeadlines,
    string InsertDeadline,
    string ListCases,
    string ListAssigned,
    string ListOverdueCases,
    string CountOverdueClocks,
    string CasesUnderOlderRules)
{
    private const string CaseColumns =
        "Id, Reference, RequestingState, RequestedState, State, StateSince, Version, ReceivedAt, CreatedAt, UpdatedAt, CaseFile, Workflow, HeadHash";

    /// <summary>What a load reads: the row and the rules version its clocks were computed under.</summary>
    private const string LoadColumns = CaseColumns + ", RulesVersion";

    private const string DeadlineColumns = "CaseId, Ordinal, Kind, StartedAt, DueAt, Status, Statute, Advisory";

    private const string EventColumns =
        "CaseId, Sequence, Type, [Trigger], FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole, ActorAgency, ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash, RulesVersion";

    private const string EventValues =
        "@CaseId, @Sequence, @Type, @Trigger, @FromState, @ToState, @OccurredAt, @RecordedAt, @ActorSubject, @ActorRole, @ActorAgency, @ActorCountry, @ActorIssuer, @RequestId, @ClientAddress, @Note, @Data, @PrevHash, @Hash, @RulesVersion";

    private const string ListFilter = """
        WHERE (@Country IS NULL OR RequestingState = @Country OR RequestedState = @Country)
          AND (@State IS NULL OR State = @State)
          AND (@RequestingState IS NULL OR RequestingState = @RequestingState)
          AND (@RequestedState IS NULL OR RequestedState = @RequestedState)
          AND (@AfterCreatedAt IS NULL OR CreatedAt > @AfterCreatedAt OR (CreatedAt = @AfterCreatedAt AND Id > @AfterId))
          AND (@OverdueOnly = 0 OR (State NOT IN ('Discharged', 'Refused', 'Withdrawn', 'Closed') AND EXISTS (
                SELECT 1 FROM Deadlines d
                WHERE d.CaseId = Cases.Id
                  AND (d.Status = 'Missed' OR (d.Status IN ('Pending', 'Extended') AND d.DueAt <= @Now
                    AND d.Kind NOT IN ('Representations', 'AppealWindow', 'RequestingStateAppealWindow', 'LeaveToAppeal'))))))
        """;

    private const string WorkColumns =
        "w.Id, w.Reference, w.RequestingState, w.RequestedState, w.State, w.StateSince, w.Version, w.ReceivedAt, w.CreatedAt, w.UpdatedAt, w.CaseFile, w.Workflow, w.HeadHash, w.RulesVersion";

    /// <summary>
    /// An officer's work list (issue 14): the cases assigned to them, found through IX_CaseAssignees_Officer,
    /// each with its soonest clock stored as running (@NoClock for none), soonest first; the list's other
    /// filters apply as in ListFilter, and the keyset is (NextDueAt, CreatedAt, Id).
    /// </summary>
    private const string WorkFilter = """
        WHERE (@Country IS NULL OR w.RequestingState = @Country OR w.RequestedState = @Country)
          AND (@State IS NULL OR w.State = @State)
          AND (@RequestingState IS NULL OR w.RequestingState = @RequestingState)
          AND (@RequestedState IS NULL OR w.RequestedState = @RequestedState)
          AND (w.NextDueAt > @AfterDueAt OR (w.NextDueAt = @AfterDueAt
                AND (w.CreatedAt > @AfterCreatedAt OR (w.CreatedAt = @AfterCreatedAt AND w.Id > @AfterId))))
        """;

    /// <summary>
    /// Issue 20: the overdue list driven from the clocks, not from the cases. The cases with a stored Missed clock
    /// or a running clock past due (two ranges of IX_Deadlines_StatusDueAt), so only those cases' rows are read
    /// and sorted into the page: the cost follows the number of overdue clocks instead of the number of cases
    /// created before the page's last overdue one. The list filter's own EXISTS test stays (the same answer, now
    /// a probe per candidate). The store uses it only while <see cref="CountOverdueClocks"/> says the backlog is
    /// small; with a large backlog the creation-order walk meets an overdue case every few rows and is cheaper.
    /// </summary>
    private const string OverdueCaseIds = """
          AND Id IN (
            SELECT d.CaseId FROM Deadlines d WHERE d.Status = 'Missed'
            UNION
            SELECT d.CaseId FROM Deadlines d WHERE d.Status IN ('Pending', 'Extended') AND d.DueAt <= @Now
              AND d.Kind NOT IN ('Representations', 'AppealWindow', 'RequestingStateAppealWindow', 'LeaveToAppeal'))
        """;

    public static readonly Dialect<CaseStoreSql> Statements = new(
        Sqlite: new CaseStoreSql(
            NextReferenceNumber: "UPDATE ReferenceCounter SET NextNumber = NextNumber + 1 WHERE Id = 1 RETURNING NextNumber - 1",
            FindCase: $"SELECT {LoadColumns} FROM Cases WHERE Id = @Id",
            FindDeadlines: $"SELECT {DeadlineColumns} FROM Deadlines WHERE CaseId = @Id ORDER BY Ordinal",
            // A list page's clocks in one statement (issue 20), the page's ids as a JSON array, instead of one query per case.
            FindDeadlinesOfCases: $"SELECT {DeadlineColumns} FROM Deadlines WHERE CaseId IN (SELECT value FROM json_each(@Ids)) ORDER BY CaseId, Ordinal",
            FindParties: "SELECT RequestingState, RequestedState FROM Cases WHERE Id = @Id",
            InsertCase: $"INSERT INTO Cases ({CaseColumns}, RulesVersion) VALUES (@Id, @Reference, @RequestingState, @RequestedState, @State, @StateSince, @Version, @ReceivedAt, @CreatedAt, @UpdatedAt, @CaseFile, @Workflow, @HeadHash, @RulesVersion)",
            UpdateCase: """
                UPDATE Cases SET State = @State, StateSince = @StateSince, Version = @Version, UpdatedAt = @UpdatedAt,
                    CaseFile = @CaseFile, Workflow = @Workflow, HeadHash = COALESCE(@HeadHash, HeadHash), RulesVersion = @RulesVersion
                WHERE Id = @Id AND Version = @ExpectedVersion
                """,
            InsertEvent: $"INSERT INTO CaseEvents ({EventColumns.Replace("[Trigger]", "\"Trigger\"", StringComparison.Ordinal)}) VALUES ({EventValues})",
            DeleteDeadlines: "DELETE FROM Deadlines WHERE CaseId = @CaseId",
            InsertDeadline: $"INSERT INTO Deadlines ({DeadlineColumns}) VALUES (@CaseId, @Ordinal, @Kind, @StartedAt, @DueAt, @Status, @Statute, @Advisory)",
            ListCases: $"SELECT {LoadColumns} FROM Cases {ListFilter} ORDER BY CreatedAt, Id LIMIT @Limit",
            ListAssigned: $"""
                SELECT {WorkColumns} FROM (
                    SELECT c.*, COALESCE((SELECT MIN(d.DueAt) FROM Deadlines d WHERE d.CaseId = c.Id AND d.Status IN ('Pending', 'Extended')), @NoClock) AS NextDueAt,
                           CASE WHEN c.State NOT IN ('Discharged', 'Refused', 'Withdrawn', 'Closed') AND EXISTS (
                               SELECT 1 FROM Deadlines d WHERE d.CaseId = c.Id
                                 AND (d.Status = 'Missed' OR (d.Status IN ('Pending', 'Extended') AND d.DueAt <= @Now
                                   AND d.Kind NOT IN ('Representations', 'AppealWindow', 'RequestingStateAppealWindow', 'LeaveToAppeal')))) THEN 1 ELSE 0 END AS Overdue
                    FROM CaseAssignees a JOIN Cases c ON c.Id = a.CaseId
                    WHERE a.Country = @AssigneeCountry AND a.Issuer = @AssigneeIssuer AND a.Subject = @AssigneeSubject
                ) w
                {WorkFilter}
                  AND (@OverdueOnly = 0 OR w.Overdue = 1)
                ORDER BY w.NextDueAt, w.CreatedAt, w.Id LIMIT @Limit
                """,
            ListOverdueCases: $"SELECT {LoadColumns} FROM Cases {ListFilter}{OverdueCaseIds} ORDER BY CreatedAt, Id LIMIT @Limit",
            CountOverdueClocks: "SELECT COUNT(*) FROM (SELECT 1 FROM Deadlines WHERE Status = 'Missed' UNION ALL SELECT 1 FROM Deadlines WHERE Status IN ('Pending', 'Extended') AND DueAt <= @Now LIMIT @Cap)",
            CasesUnderOlderRules: "SELECT Id FROM Cases WHERE RulesVersion < @RulesVersion ORDER BY CreatedAt, Id LIMIT @Limit"),
        SqlServer: new CaseStoreSql(
            NextReferenceNumber: "UPDATE dbo.ReferenceCounter SET NextNumber = NextNumber + 1 OUTPUT deleted.NextNumber WHERE Id = 1;",
            FindCase: $"SELECT {LoadColumns} FROM dbo.Cases WHERE Id = @Id;",
            FindDeadlines: $"SELECT {DeadlineColumns} FROM dbo.Deadlines WHERE CaseId = @Id ORDER BY Ordinal;",
            FindDeadlinesOfCases: $"SELECT {DeadlineColumns} FROM dbo.Deadlines WHERE CaseId IN (SELECT CAST(q.[value] AS uniqueidentifier) FROM OPENJSON(@Ids) q) ORDER BY CaseId, Ordinal;",
            FindParties: "SELECT RequestingState, RequestedState FROM dbo.Cases WHERE Id = @Id;",
            InsertCase: $"INSERT INTO dbo.Cases ({CaseColumns}, RulesVersion) VALUES (@Id, @Reference, @RequestingState, @RequestedState, @State, @StateSince, @Version, @ReceivedAt, @CreatedAt, @UpdatedAt, @CaseFile, @Workflow, @HeadHash, @RulesVersion);",
            UpdateCase: """
                UPDATE dbo.Cases SET State = @State, StateSince = @StateSince, Version = @Version, UpdatedAt = @UpdatedAt,
                    CaseFile = @CaseFile, Workflow = @Workflow, HeadHash = COALESCE(@HeadHash, HeadHash), RulesVersion = @RulesVersion
                WHERE Id = @Id AND Version = @ExpectedVersion;
                """,
            InsertEvent: $"INSERT INTO dbo.CaseEvents ({EventColumns}) VALUES ({EventValues});",
            DeleteDeadlines: "DELETE FROM dbo.Deadlines WHERE CaseId = @CaseId;",
            InsertDeadline: $"INSERT INTO dbo.Deadlines ({DeadlineColumns}) VALUES (@CaseId, @Ordinal, @Kind, @StartedAt, @DueAt, @Status, @Statute, @Advisory);",
            ListCases: $"SELECT TOP (@Limit) {LoadColumns} FROM dbo.Cases {ListFilter.Replace("FROM Deadlines d", "FROM dbo.Deadlines d", StringComparison.Ordinal).Replace("Cases.Id", "dbo.Cases.Id", StringComparison.Ordinal)} ORDER BY CreatedAt, Id OPTION (RECOMPILE);",
            ListAssigned: $"""
                SELECT TOP (@Limit) {WorkColumns} FROM (
                    SELECT c.Id, c.Reference, c.RequestingState, c.RequestedState, c.State, c.StateSince, c.Version, c.ReceivedAt, c.CreatedAt,
                           c.UpdatedAt, c.CaseFile, c.Workflow, c.HeadHash, c.RulesVersion,
                           COALESCE((SELECT MIN(d.DueAt) FROM dbo.Deadlines d WHERE d.CaseId = c.Id AND d.Status IN ('Pending', 'Extended')), @NoClock) AS NextDueAt,
                           CASE WHEN c.State NOT IN ('Discharged', 'Refused', 'Withdrawn', 'Closed') AND EXISTS (
                               SELECT 1 FROM dbo.Deadlines d WHERE d.CaseId = c.Id
                                 AND (d.Status = 'Missed' OR (d.Status IN ('Pending', 'Extended') AND d.DueAt <= @Now
                                   AND d.Kind NOT IN ('Representations', 'AppealWindow', 'RequestingStateAppealWindow', 'LeaveToAppeal')))) THEN 1 ELSE 0 END AS Overdue
                    FROM dbo.CaseAssignees a JOIN dbo.Cases c ON c.Id = a.CaseId
                    WHERE a.Country = @AssigneeCountry AND a.Issuer = @AssigneeIssuer COLLATE Latin1_General_100_BIN2
                      AND a.Subject = @AssigneeSubject COLLATE Latin1_General_100_BIN2
                ) w
                {WorkFilter}
                  AND (@OverdueOnly = 0 OR w.Overdue = 1)
                ORDER BY w.NextDueAt, w.CreatedAt, w.Id OPTION (RECOMPILE);
                """,
            ListOverdueCases: $"SELECT TOP (@Limit) {LoadColumns} FROM dbo.Cases {(ListFilter + OverdueCaseIds).Replace("FROM Deadlines d", "FROM dbo.Deadlines d", StringComparison.Ordinal).Replace("Cases.Id", "dbo.Cases.Id", StringComparison.Ordinal)} ORDER BY CreatedAt, Id OPTION (RECOMPILE);",
            CountOverdueClocks: "SELECT COUNT(*) FROM (SELECT TOP (@Cap) o.CaseId FROM (SELECT CaseId FROM dbo.Deadlines WHERE Status = 'Missed' UNION ALL SELECT CaseId FROM dbo.Deadlines WHERE Status IN ('Pending', 'Extended') AND DueAt <= @Now) o) t;",
            CasesUnderOlderRules: "SELECT TOP (@Limit) Id FROM dbo.Cases WHERE RulesVersion < @RulesVersion ORDER BY CreatedAt, Id;"));
}
