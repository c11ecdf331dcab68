using ExtraditionCases.Application.Abstractions;
using static ExtraditionCases.Application.Features.Reports.ReportSql;

namespace ExtraditionCases.Application.Features.Reports;

public static partial class GetCountryPairs
{
    /// <summary>
    /// Cases by requesting state, requested state and offence category, in both dialects. A case counts once
    /// under each distinct category among its offences (Other when it has none); its outcome is the one the
    /// caseload reads. The event period bounds the filing (the CaseFiled event). The categories come from
    /// <c>CaseOffenceCategories</c>, kept with the case file, so no case's file is parsed.
    /// </summary>
    public static class Sql
    {
        private const string Counts = """
            SELECT x.RequestingState, x.RequestedState, x.Category, COUNT(*) AS Cases,
                   SUM(CASE WHEN o.Outcome IS NULL THEN 1 ELSE 0 END) AS OpenCases,
                   SUM(CASE WHEN o.Outcome = 'Surrendered' THEN 1 ELSE 0 END) AS Surrendered,
                   SUM(CASE WHEN o.Outcome = 'Discharged' THEN 1 ELSE 0 END) AS Discharged,
                   SUM(CASE WHEN o.Outcome = 'Refused' THEN 1 ELSE 0 END) AS Refused,
                   SUM(CASE WHEN o.Outcome = 'Withdrawn' THEN 1 ELSE 0 END) AS Withdrawn
            """;

        public static readonly SqlStatement Pairs = new(
            Sqlite: $"""
                {Counts}
                FROM (SELECT c.Id, c.RequestingState, c.RequestedState, c.State, COALESCE(oo.Category, 'Other') AS Category
                      FROM Cases c LEFT JOIN CaseOffenceCategories oo ON oo.CaseId = c.Id
                      WHERE {SqliteCases} AND {InEventPeriod("c.ReceivedAt")}) x
                LEFT JOIN ({SqliteOutcomes}) o ON o.CaseId = x.Id AND x.State IN {Concluded}
                WHERE @OffenceCategory IS NULL OR x.Category = @OffenceCategory
                GROUP BY x.RequestingState, x.RequestedState, x.Category
                """,
            SqlServer: $"""
                {Counts}
                FROM (SELECT c.Id, c.RequestingState, c.RequestedState, c.State, COALESCE(oo.Category, N'Other') AS Category
                      FROM dbo.Cases c LEFT JOIN dbo.CaseOffenceCategories oo ON oo.CaseId = c.Id
                      WHERE {SqlServerCases} AND {InEventPeriod("c.ReceivedAt")}) x
                LEFT JOIN ({SqlServerOutcomes}) o ON o.CaseId = x.Id AND x.State IN {Concluded}
                WHERE @OffenceCategory IS NULL OR x.Category = @OffenceCategory
                GROUP BY x.RequestingState, x.RequestedState, x.Category OPTION (RECOMPILE);
                """);
    }
}
