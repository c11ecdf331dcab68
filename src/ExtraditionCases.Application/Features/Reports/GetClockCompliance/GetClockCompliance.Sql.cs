using ExtraditionCases.Application.Abstractions;
using static ExtraditionCases.Application.Features.Reports.ReportSql;

namespace ExtraditionCases.Application.Features.Reports;

public static partial class GetClockCompliance
{
    /// <summary>
    /// Clock compliance in both dialects. A clock's status is the one it reads at @Now, as every read derives
    /// it (Deadline.StatusAt): a clock stored Pending or Extended whose due instant has come reads Missed, or
    /// Expired for a window. Nothing is written for a clock to run out, so this is computed here, at query time.
    /// </summary>
    public static class Sql
    {
        private const string RanOut = "d.Status IN ('Pending', 'Extended') AND d.DueAt <= @Now";

        private const string Counts = $"""
            SELECT d.Kind, c.RequestedState,
                   SUM(CASE WHEN d.Status = 'Met' THEN 1 ELSE 0 END) AS Met,
                   SUM(CASE WHEN d.Status = 'Missed' OR ({RanOut} AND d.Kind NOT IN {Windows}) THEN 1 ELSE 0 END) AS Missed,
                   SUM(CASE WHEN d.Status = 'Expired' OR ({RanOut} AND d.Kind IN {Windows}) THEN 1 ELSE 0 END) AS Expired,
                   SUM(CASE WHEN d.Status = 'Extended' AND d.DueAt > @Now THEN 1 ELSE 0 END) AS Extended,
                   SUM(CASE WHEN d.Status = 'Pending' AND d.DueAt > @Now THEN 1 ELSE 0 END) AS Pending,
                   SUM(CASE WHEN d.Status = 'Cancelled' THEN 1 ELSE 0 END) AS Cancelled
            """;

        /// <summary>Per clock kind and requested state; the event period bounds the clocks' due instants.</summary>
        public static readonly SqlStatement ByKind = new(
            Sqlite: $"""
                {Counts}
                FROM Deadlines d JOIN Cases c ON c.Id = d.CaseId
                WHERE {SqliteCases} AND {InEventPeriod("d.DueAt")}
                GROUP BY d.Kind, c.RequestedState
                """,
            SqlServer: $"""
                {Counts}
                FROM dbo.Deadlines d JOIN dbo.Cases c ON c.Id = d.CaseId
                WHERE {SqlServerCases} AND {InEventPeriod("d.DueAt")}
                GROUP BY d.Kind, c.RequestedState OPTION (RECOMPILE);
                """);

        private const string Age = """
            CASE WHEN d.DueAt > @Overdue7 THEN 'Under7Days' WHEN d.DueAt > @Overdue30 THEN '7To30Days'
                 WHEN d.DueAt > @Overdue90 THEN '30To90Days' ELSE '90DaysOrMore' END
            """;

        /// <summary>
        /// The backlog: clocks still running past their due instant that read Missed now (windows expire rather
        /// than wait), by kind and by how long overdue. Ages are bounded by instants the handler computes, so
        /// both databases compare instants only. A snapshot: the event period does not apply.
        /// </summary>
        public static readonly SqlStatement Backlog = new(
            Sqlite: $"""
                SELECT d.Kind, {Age} AS Age, COUNT(*) AS Clocks
                FROM Deadlines d JOIN Cases c ON c.Id = d.CaseId
                WHERE {RanOut} AND d.Kind NOT IN {Windows} AND {SqliteCases}
                GROUP BY d.Kind, {Age}
                """,
            SqlServer: $"""
                SELECT d.Kind, {Age} AS Age, COUNT(*) AS Clocks
                FROM dbo.Deadlines d JOIN dbo.Cases c ON c.Id = d.CaseId
                WHERE {RanOut} AND d.Kind NOT IN {Windows} AND {SqlServerCases}
                GROUP BY d.Kind, {Age} OPTION (RECOMPILE);
                """);
    }
}
