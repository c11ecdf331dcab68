using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Deadlines;

public static partial class ListDeadlines
{
    /// <summary>
    /// The deadline list in both dialects, one statement per kind of status filter so that each can walk
    /// an index in due order and stop at the page's end, instead of one catch-all statement whose OR-ed
    /// parameter branches force a scan and sort of every clock ever started. A clock's visible status is
    /// derived from its stored status and @Now: a stored Pending or Extended clock due at or before @Now reads Missed,
    /// or Expired for the three windows.
    /// </summary>
    public static class Sql
    {
        private const string Windows = "('Representations', 'AppealWindow', 'RequestingStateAppealWindow', 'LeaveToAppeal')";

        private const string Columns = "d.CaseId, c.Reference, d.Ordinal, d.Kind, d.StartedAt, d.DueAt, d.Status, d.Statute, d.Advisory";

        // @AfterDueAt is always set (the minimum instant on the first page) so it bounds the index range;
        // the rest of the keyset orders ties.
        private const string Common = """
            (@Country IS NULL OR c.RequestingState = @Country OR c.RequestedState = @Country)
              AND (@DueBefore IS NULL OR d.DueAt < @DueBefore)
              AND d.DueAt >= @AfterDueAt
              AND (d.DueAt > @AfterDueAt OR d.CaseId > @AfterCaseId OR (d.CaseId = @AfterCaseId AND d.Ordinal > @AfterOrdinal))
              AND (@OpenOnly = 0 OR d.Status IN ('Pending', 'Extended'))
            """;

        // An officer's work list (assignee=me): only the cases assigned to them, a seek per clock on CaseAssignees' key.
        private const string Assigned = """
            AND (@AssigneeSubject IS NULL OR EXISTS (SELECT 1 FROM CaseAssignees a WHERE a.CaseId = d.CaseId
                AND a.Country = @AssigneeCountry AND a.Issuer = @AssigneeIssuer AND a.Subject = @AssigneeSubject))
            """;

        private const string AssignedSqlServer = """
            AND (@AssigneeSubject IS NULL OR EXISTS (SELECT 1 FROM dbo.CaseAssignees a WHERE a.CaseId = d.CaseId
                AND a.Country = @AssigneeCountry AND a.Issuer = @AssigneeIssuer COLLATE Latin1_General_100_BIN2
                AND a.Subject = @AssigneeSubject COLLATE Latin1_General_100_BIN2))
            """;

        /// <summary>
        /// Clocks stored as <c>running</c> (Pending or Extended) past their due instant that read as @Status
        /// (Missed, or Expired for windows). One branch per stored status, so each walks the
        /// (Status, DueAt, CaseId, Ordinal) index already in page order: no sort of the whole backlog.
        /// </summary>
        private static string RanOutWhile(string running) => $"""
            d.Status = '{running}' AND d.DueAt <= @Now
              AND ((@Status = 'Expired' AND d.Kind IN {Windows}) OR (@Status = 'Missed' AND d.Kind NOT IN {Windows}))
            """;

        // Each clock's case through IX_Cases_Parties (Id, parties, reference), which answers the country test and the
        // reference without the case's table row; SQLite's planner prefers the unique key, so the index is named
        // (0020: a list after another connection's commit reads its pages from the file again, and this is most of them).
        private const string SqliteClocksAndCases = "Deadlines d JOIN Cases c INDEXED BY IX_Cases_Parties ON c.Id = d.CaseId";

        private const string Order = "ORDER BY d.DueAt, d.CaseId, d.Ordinal";
        private const string OuterOrder = "ORDER BY DueAt, CaseId, Ordinal";

        /// <summary>Every clock, whatever its status.</summary>
        public static readonly SqlStatement All = new(
            Sqlite: $"SELECT {Columns} FROM {SqliteClocksAndCases} WHERE {Common} {Assigned} {Order} LIMIT @Limit",
            SqlServer: $"SELECT TOP (@Limit) {Columns} FROM dbo.Deadlines d JOIN dbo.Cases c ON c.Id = d.CaseId WHERE {Common} {AssignedSqlServer} {Order} OPTION (RECOMPILE);");

        /// <summary>A status that is final once stored (Met, Cancelled): what is stored is what it reads.</summary>
        public static readonly SqlStatement Stored = new(
            Sqlite: $"SELECT {Columns} FROM {SqliteClocksAndCases} WHERE d.Status = @Status AND {Common} {Assigned} {Order} LIMIT @Limit",
            SqlServer: $"SELECT TOP (@Limit) {Columns} FROM dbo.Deadlines d JOIN dbo.Cases c ON c.Id = d.CaseId WHERE d.Status = @Status AND {Common} {AssignedSqlServer} {Order} OPTION (RECOMPILE);");

        /// <summary>Pending or Extended: stored so and not yet due.</summary>
        public static readonly SqlStatement Running = new(
            Sqlite: $"SELECT {Columns} FROM {SqliteClocksAndCases} WHERE d.Status = @Status AND d.DueAt > @Now AND {Common} {Assigned} {Order} LIMIT @Limit",
            SqlServer: $"SELECT TOP (@Limit) {Columns} FROM dbo.Deadlines d JOIN dbo.Cases c ON c.Id = d.CaseId WHERE d.Status = @Status AND d.DueAt > @Now AND {Common} {AssignedSqlServer} {Order} OPTION (RECOMPILE);");

        /// <summary>Missed or Expired: stored so, or still running past the due instant.</summary>
        public static readonly SqlStatement RanOut = new(
            Sqlite: $"""
                SELECT * FROM (SELECT {Columns} FROM {SqliteClocksAndCases} WHERE d.Status = @Status AND {Common} {Assigned} {Order} LIMIT @Limit)
                UNION ALL
                SELECT * FROM (SELECT {Columns} FROM {SqliteClocksAndCases} WHERE {RanOutWhile("Pending")} AND {Common} {Assigned} {Order} LIMIT @Limit)
                UNION ALL
                SELECT * FROM (SELECT {Columns} FROM {SqliteClocksAndCases} WHERE {RanOutWhile("Extended")} AND {Common} {Assigned} {Order} LIMIT @Limit)
                {OuterOrder} LIMIT @Limit
                """,
            SqlServer: $"""
                SELECT TOP (@Limit) u.* FROM (
                    SELECT r.* FROM (SELECT TOP (@Limit) {Columns} FROM dbo.Deadlines d JOIN dbo.Cases c ON c.Id = d.CaseId WHERE d.Status = @Status AND {Common} {AssignedSqlServer} {Order}) r
                    UNION ALL
                    SELECT p.* FROM (SELECT TOP (@Limit) {Columns} FROM dbo.Deadlines d JOIN dbo.Cases c ON c.Id = d.CaseId WHERE {RanOutWhile("Pending")} AND {Common} {AssignedSqlServer} {Order}) p
                    UNION ALL
                    SELECT e.* FROM (SELECT TOP (@Limit) {Columns} FROM dbo.Deadlines d JOIN dbo.Cases c ON c.Id = d.CaseId WHERE {RanOutWhile("Extended")} AND {Common} {AssignedSqlServer} {Order}) e
                ) u
                {OuterOrder} OPTION (RECOMPILE);
                """);
    }
}
