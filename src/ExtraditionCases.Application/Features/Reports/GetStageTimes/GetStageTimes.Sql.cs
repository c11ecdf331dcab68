using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Workflow;
using static ExtraditionCases.Application.Features.Reports.ReportSql;

namespace ExtraditionCases.Application.Features.Reports;

public static partial class GetStageTimes
{
    /// <summary>
    /// Time per stage in both dialects, read from <see cref="CaseStays"/>. A stay in a state runs from the step into
    /// it to the step out of it, both from the events' occurredAt (a self-transition such as consent to the Secretary
    /// of State is no step out); stays not yet ended are not counted. FilingToSurrender runs from the CaseFiled event
    /// to the Surrender step. The percentiles are nearest-rank over the durations sorted ascending: the value at rank
    /// ceil(p × N), in integer arithmetic ((N + 1) / 2 for the median, (9N + 9) / 10 for p90), so both databases
    /// pick the same row. The ended stays are read in (Stage, Ms) order from their covering index, so a rank is a walk
    /// along it, never a sort.
    /// </summary>
    public static class Sql
    {
        /// <summary>Every stage a stay can be in: each workflow state, then filing to surrender.</summary>
        public static readonly IReadOnlyList<string> AllStages = [.. Enum.GetNames<CaseState>(), FilingToSurrender];

        // One branch per stage: the count and maximum, and the durations at the two nearest ranks, each an index walk in
        // Ms order that skips rank - 1 entries (OFFSET takes a subquery that counts the stage's stays, not a column).
        // One statement, so every figure comes from one snapshot of the table.
        private static string SqliteStage(string stage)
        {
            string Where(string a) => $"{a}.Stage = '{stage}' AND {a}.LeftAt IS NOT NULL AND {SqliteStays(a)} AND {InEventPeriod($"{a}.LeftAt")}";
            string AtRank(string rank) =>
                $"(SELECT p.Ms FROM CaseStays p WHERE {Where("p")} ORDER BY p.Ms LIMIT 1 OFFSET (SELECT {rank} - 1 FROM CaseStays q WHERE {Where("q")}))";
            return $"""
                SELECT '{stage}' AS Stage, k.Stays, k.MaxMs, {AtRank(MedianRank)} AS MedianMs, {AtRank(P90Rank)} AS P90Ms
                FROM (SELECT COUNT(*) AS Stays, MAX(s.Ms) AS MaxMs FROM CaseStays s WHERE {Where("s")}) k WHERE k.Stays > 0
                """;
        }

        private static string SqlServerStage(string stage)
        {
            string Where(string a) => $"{a}.Stage = N'{stage}' AND {a}.LeftAt IS NOT NULL AND {SqlServerStays(a)} AND {InEventPeriod($"{a}.LeftAt")}";
            string AtRank(string rank) =>
                $"(SELECT p.Ms FROM dbo.CaseStays p WHERE {Where("p")} ORDER BY p.Ms OFFSET (SELECT {rank} - 1 FROM dbo.CaseStays q WHERE {Where("q")}) ROWS FETCH NEXT 1 ROWS ONLY)";
            return $"""
                SELECT N'{stage}' AS Stage, k.Stays, k.MaxMs, {AtRank(MedianRank)} AS MedianMs, {AtRank(P90Rank)} AS P90Ms
                FROM (SELECT COUNT_BIG(*) AS Stays, MAX(s.Ms) AS MaxMs FROM dbo.CaseStays s WHERE {Where("s")}) k WHERE k.Stays > 0
                """;
        }

        /// <summary>Nearest rank of the median and of p90 among the stays counted, in integer arithmetic.</summary>
        private const string MedianRank = "(COUNT(*) + 1) / 2";

        private const string P90Rank = "(9 * COUNT(*) + 9) / 10";

        public static readonly SqlStatement Stages = new(
            Sqlite: string.Join("\nUNION ALL\n", AllStages.Select(SqliteStage)),
            SqlServer: string.Join("\nUNION ALL\n", AllStages.Select(SqlServerStage)) + "\nOPTION (RECOMPILE);");
    }
}
