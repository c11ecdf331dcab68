using ExtraditionCases.Application.Abstractions;
using static ExtraditionCases.Application.Features.Reports.ReportSql;

namespace ExtraditionCases.Application.Features.Reports;

public static partial class GetStageTimes
{
    /// <summary>
    /// Time per stage in both dialects. A stay in a state runs from the step into it to the step out of it,
    /// both from the events' occurredAt (a self-transition such as consent to the Secretary of State is no
    /// step out); stays not yet ended are not counted. FilingToSurrender runs from the CaseFiled event to the
    /// Surrender step. The percentiles are nearest-rank over the durations sorted ascending: the value at rank
    /// ceil(p × N), in integer arithmetic ((N + 1) / 2 for the median, (9N + 9) / 10 for p90), so both databases
    /// pick the same row.
    /// </summary>
    public static class Sql
    {
        private static string Durations(string cases, string events, string milliseconds, string previousMilliseconds) => $"""
            SELECT d.Stage, d.Ms, ROW_NUMBER() OVER (PARTITION BY d.Stage ORDER BY d.Ms) AS Rn, COUNT(*) OVER (PARTITION BY d.Stage) AS N
            FROM (
                SELECT st.CaseId, st.Stage, st.EndedAt, st.Ms FROM (
                    SELECT p.CaseId, LAG(p.ToState) OVER (PARTITION BY p.CaseId ORDER BY p.Sequence) AS Stage, p.OccurredAt AS EndedAt,
                           {previousMilliseconds} AS Ms
                    FROM {events} p WHERE p.ToState IS NOT NULL AND (p.FromState IS NULL OR p.FromState <> p.ToState)
                ) st WHERE st.Stage IS NOT NULL
                UNION ALL
                SELECT sv.CaseId, 'FilingToSurrender', sv.OccurredAt, {milliseconds}
                FROM {events} sv JOIN {events} fi ON fi.CaseId = sv.CaseId AND fi.Sequence = 1
                WHERE sv.ToState = 'Surrendered' AND sv.FromState <> 'Surrendered'
            ) d JOIN {cases} c ON c.Id = d.CaseId
            """;

        private const string Percentiles = """
            SELECT r.Stage, COUNT(*) AS Stays,
                   MAX(CASE WHEN r.Rn = (r.N + 1) / 2 THEN r.Ms END) AS MedianMs,
                   MAX(CASE WHEN r.Rn = (9 * r.N + 9) / 10 THEN r.Ms END) AS P90Ms,
                   MAX(r.Ms) AS MaxMs
            """;

        public static readonly SqlStatement Stages = new(
            Sqlite: $"""
                {Percentiles}
                FROM ({Durations("Cases", "CaseEvents", SqliteMilliseconds("fi.OccurredAt", "sv.OccurredAt"),
                    SqliteMilliseconds("LAG(p.OccurredAt) OVER (PARTITION BY p.CaseId ORDER BY p.Sequence)", "p.OccurredAt"))}
                      WHERE {SqliteCases} AND {InEventPeriod("d.EndedAt")}) r
                GROUP BY r.Stage
                """,
            SqlServer: $"""
                {Percentiles}
                FROM ({Durations("dbo.Cases", "dbo.CaseEvents", SqlServerMilliseconds("fi.OccurredAt", "sv.OccurredAt"),
                    SqlServerMilliseconds("LAG(p.OccurredAt) OVER (PARTITION BY p.CaseId ORDER BY p.Sequence)", "p.OccurredAt"))}
                      WHERE {SqlServerCases} AND {InEventPeriod("d.EndedAt")}) r
                GROUP BY r.Stage OPTION (RECOMPILE);
                """);
    }
}
