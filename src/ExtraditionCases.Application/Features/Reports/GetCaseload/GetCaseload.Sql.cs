using ExtraditionCases.Application.Abstractions;
using static ExtraditionCases.Application.Features.Reports.ReportSql;

namespace ExtraditionCases.Application.Features.Reports;

public static partial class GetCaseload
{
    /// <summary>The caseload's three statements, each in both dialects.</summary>
    public static class Sql
    {
        /// <summary>Cases not yet at an outcome, by the state they are in now (the event period does not apply: it is a snapshot).</summary>
        public static readonly SqlStatement OpenByState = new(
            Sqlite: $"SELECT c.State, COUNT(*) AS Cases FROM Cases c WHERE c.State NOT IN {Concluded} AND {SqliteCases} GROUP BY c.State",
            SqlServer: $"SELECT c.State, COUNT(*) AS Cases FROM dbo.Cases c WHERE c.State NOT IN {Concluded} AND {SqlServerCases} GROUP BY c.State OPTION (RECOMPILE);");

        /// <summary>Filings (receivedAt) and outcomes (the step that concluded the case) per UTC month.</summary>
        public static readonly SqlStatement Monthly = new(
            Sqlite: $"""
                SELECT m.Month, SUM(m.Filed) AS Filed, SUM(m.Closed) AS Closed FROM (
                    SELECT {SqliteMonth("c.ReceivedAt")} AS Month, 1 AS Filed, 0 AS Closed FROM Cases c
                    WHERE {SqliteCases} AND {InEventPeriod("c.ReceivedAt")}
                    UNION ALL
                    SELECT {SqliteMonth("o.ConcludedAt")}, 0, 1 FROM Cases c JOIN ({SqliteOutcomes}) o ON o.CaseId = c.Id
                    WHERE c.State IN {Concluded} AND {SqliteCases} AND {InEventPeriod("o.ConcludedAt")}
                ) m GROUP BY m.Month ORDER BY m.Month
                """,
            SqlServer: $"""
                SELECT m.Month, SUM(m.Filed) AS Filed, SUM(m.Closed) AS Closed FROM (
                    SELECT {SqlServerMonth("c.ReceivedAt")} AS Month, 1 AS Filed, 0 AS Closed FROM dbo.Cases c
                    WHERE {SqlServerCases} AND {InEventPeriod("c.ReceivedAt")}
                    UNION ALL
                    SELECT {SqlServerMonth("o.ConcludedAt")}, 0, 1 FROM dbo.Cases c JOIN ({SqlServerOutcomes}) o ON o.CaseId = c.Id
                    WHERE c.State IN {Concluded} AND {SqlServerCases} AND {InEventPeriod("o.ConcludedAt")}
                ) m GROUP BY m.Month ORDER BY m.Month OPTION (RECOMPILE);
                """);

        /// <summary>Concluded cases by outcome, discharges by who discharged.</summary>
        public static readonly SqlStatement Outcomes = new(
            Sqlite: $"""
                SELECT o.Outcome, o.DischargedBy, COUNT(*) AS Cases FROM Cases c JOIN ({SqliteOutcomes}) o ON o.CaseId = c.Id
                WHERE c.State IN {Concluded} AND {SqliteCases} AND {InEventPeriod("o.ConcludedAt")}
                GROUP BY o.Outcome, o.DischargedBy
                """,
            SqlServer: $"""
                SELECT o.Outcome, o.DischargedBy, COUNT(*) AS Cases FROM dbo.Cases c JOIN ({SqlServerOutcomes}) o ON o.CaseId = c.Id
                WHERE c.State IN {Concluded} AND {SqlServerCases} AND {InEventPeriod("o.ConcludedAt")}
                GROUP BY o.Outcome, o.DischargedBy OPTION (RECOMPILE);
                """);
    }
}
