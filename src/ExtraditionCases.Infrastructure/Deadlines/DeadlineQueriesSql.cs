using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Deadlines;

/// <summary>The deadline list in both dialects. A clock's visible status is derived from its stored status and @Now.</summary>
public sealed record DeadlineQueriesSql(string List)
{
    private const string Windows = "('Representations', 'AppealWindow', 'RequestingStateAppealWindow')";

    private const string Filter = $"""
        WHERE (@Country IS NULL OR c.RequestingState = @Country OR c.RequestedState = @Country)
          AND (@DueBefore IS NULL OR d.DueAt < @DueBefore)
          AND (@Status IS NULL
            OR (@Status IN ('Pending', 'Extended') AND d.Status = @Status AND d.DueAt >= @Now)
            OR (@Status = 'Missed' AND (d.Status = 'Missed'
                OR (d.Status IN ('Pending', 'Extended') AND d.DueAt < @Now AND d.Kind NOT IN {Windows})))
            OR (@Status = 'Expired' AND (d.Status = 'Expired'
                OR (d.Status IN ('Pending', 'Extended') AND d.DueAt < @Now AND d.Kind IN {Windows})))
            OR (@Status IN ('Met', 'Cancelled') AND d.Status = @Status))
          AND (@AfterDueAt IS NULL OR d.DueAt > @AfterDueAt
            OR (d.DueAt = @AfterDueAt AND (d.CaseId > @AfterCaseId OR (d.CaseId = @AfterCaseId AND d.Ordinal > @AfterOrdinal))))
        """;

    private const string Columns = "d.CaseId, c.Reference, d.Ordinal, d.Kind, d.StartedAt, d.DueAt, d.Status, d.Statute, d.Advisory";

    public static readonly Dialect<DeadlineQueriesSql> Statements = new(
        Sqlite: new DeadlineQueriesSql(
            List: $"SELECT {Columns} FROM Deadlines d JOIN Cases c ON c.Id = d.CaseId {Filter} ORDER BY d.DueAt, d.CaseId, d.Ordinal LIMIT @Limit"),
        SqlServer: new DeadlineQueriesSql(
            List: $"SELECT TOP (@Limit) {Columns} FROM dbo.Deadlines d JOIN dbo.Cases c ON c.Id = d.CaseId {Filter} ORDER BY d.DueAt, d.CaseId, d.Ordinal OPTION (RECOMPILE);"));
}
