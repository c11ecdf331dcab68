using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Partners;

public static partial class GetCaseStatus
{
    public static class Sql
    {
        private const string StatusColumns =
            "c.Id, c.Reference, c.State, c.StateSince, c.Version, c.UpdatedAt, c.RequestingState, c.RequestedState";

        // The soonest clock still running at @Now; of clocks due at the same instant, the one started
        // first: the same answer on every read.
        private const string Running = "d.CaseId = c.Id AND d.Status IN ('Pending', 'Extended') AND d.DueAt > @Now ORDER BY d.DueAt, d.Ordinal";

        /// <summary>What a conditional poll needs: the parties (for the access check) and the version.</summary>
        public static readonly SqlStatement Head = new(
            Sqlite: "SELECT RequestingState, RequestedState, Version FROM Cases WHERE Id = @Id",
            SqlServer: "SELECT RequestingState, RequestedState, Version FROM dbo.Cases WHERE Id = @Id;");

        /// <summary>One statement for a 200: the status, its parties (for the access check) and the next clock.</summary>
        public static readonly SqlStatement Status = new(
            Sqlite: $"""
                SELECT {StatusColumns},
                       (SELECT d.Kind FROM Deadlines d WHERE {Running} LIMIT 1) AS NextKind,
                       (SELECT d.DueAt FROM Deadlines d WHERE {Running} LIMIT 1) AS NextDueAt
                FROM Cases c WHERE c.Id = @Id
                """,
            SqlServer: $"""
                SELECT {StatusColumns}, n.Kind AS NextKind, n.DueAt AS NextDueAt
                FROM dbo.Cases c
                OUTER APPLY (SELECT TOP (1) d.Kind, d.DueAt FROM dbo.Deadlines d WHERE {Running}) n
                WHERE c.Id = @Id;
                """);

        /// <summary>
        /// <see cref="Status"/> with the case's assignees joined (issue 20: a 200 in one read instead of two): a row per
        /// assignee in country order (at most one per party state), or one row with no assignee.
        /// </summary>
        public static readonly SqlStatement StatusWithAssignees = new(
            Sqlite: $"""
                SELECT {StatusColumns},
                       (SELECT d.Kind FROM Deadlines d WHERE {Running} LIMIT 1) AS NextKind,
                       (SELECT d.DueAt FROM Deadlines d WHERE {Running} LIMIT 1) AS NextDueAt,
                       a.Country AS AssigneeCountry, a.Subject AS AssigneeSubject, a.Issuer AS AssigneeIssuer, a.AssignedAt AS AssigneeAssignedAt
                FROM Cases c LEFT JOIN CaseAssignees a ON a.CaseId = c.Id
                WHERE c.Id = @Id
                ORDER BY a.Country
                """,
            SqlServer: $"""
                SELECT {StatusColumns}, n.Kind AS NextKind, n.DueAt AS NextDueAt,
                       a.Country AS AssigneeCountry, a.Subject AS AssigneeSubject, a.Issuer AS AssigneeIssuer, a.AssignedAt AS AssigneeAssignedAt
                FROM dbo.Cases c
                OUTER APPLY (SELECT TOP (1) d.Kind, d.DueAt FROM dbo.Deadlines d WHERE {Running}) n
                LEFT JOIN dbo.CaseAssignees a ON a.CaseId = c.Id
                WHERE c.Id = @Id
                ORDER BY a.Country;
                """);
    }
}
