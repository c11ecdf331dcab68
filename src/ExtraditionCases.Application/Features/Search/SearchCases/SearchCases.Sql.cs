using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Search;

public static partial class SearchCases
{
    /// <summary>
    /// Two statements per dialect. The query's tokens arrive as a JSON array (json_each, OPENJSON) so the
    /// statement text is fixed. <see cref="TokenHits"/> first counts each token's rows, stopping at
    /// <see cref="HitCap"/>: a bounded walk of SearchTerms' primary key per token. <see cref="Search"/> then
    /// walks the rows of the rarest token (@Driver) only, and keeps an entry when every other token is a seek on
    /// the whole primary key (Token, Weight, CaseId, Entry; migration 0018) for that same entry, whose weight every
    /// one of its terms carries: a common word ("Khan", the "EXT" of every
    /// reference) is never read in full unless every word of the query is that common. An entry also matches
    /// on the compact form of the whole query; its score is the entry's weight plus 10 when the query names
    /// every token of it. A case ranks by its best entry; pages are keyset on (score descending, case id), and
    /// only the page's cases are joined back to their entries.
    /// The driving token is not probed for (its row is the probe's answer), and on SQLite the other tokens are read from
    /// @Tokens once (a MATERIALIZED CTE) rather than json_each evaluated again for every driving row: together
    /// 30-50% of a common name's search at 100,000 cases (issue 20, fourteenth round).
    /// On SQLite the probe's <c>+o.Entry</c> keeps it on the primary key: offered all four columns, the planner picks
    /// IX_SearchTerms_Case (CaseId, Entry, …), whose probes for one token land on a different page per case, where
    /// the primary key keeps a token's rows together; measured at 100,000 cases, twice as slow for a common name.
    /// </summary>
    public static class Sql
    {
        private const string Visible = "(@Country IS NULL OR t.RequestingState = @Country OR t.RequestedState = @Country)";
        /// <summary>Rows counted per token at most: enough to tell a rare word from a common one, and the rarer of two common ones.</summary>
        public const int HitCap = 10_000;

        /// <summary>Each token of @Tokens with its number of SearchTerms rows, counted up to @Cap.</summary>
        public static readonly SqlStatement TokenHits = new(
            Sqlite: "SELECT q.value AS Token, (SELECT COUNT(*) FROM (SELECT 1 FROM SearchTerms t WHERE t.Token = q.value LIMIT @Cap)) AS Hits FROM json_each(@Tokens) q",
            SqlServer: """
                SELECT CAST(q.[value] AS nvarchar(64)) AS Token,
                       (SELECT COUNT(*) FROM (SELECT TOP (@Cap) t.Entry FROM dbo.SearchTerms t
                                              WHERE t.Token = CAST(q.[value] AS nvarchar(64)) COLLATE Latin1_General_100_BIN2) h) AS Hits
                FROM OPENJSON(@Tokens) q;
                """);

        private const string Keyset = "(r.Score < @AfterScore OR (r.Score = @AfterScore AND r.CaseId > @AfterCaseId))";

        /// <summary>
        /// Matching entries of the rarest word ranked at most: the walk stops after this many, highest field weight
        /// first, and the answer says it was truncated ("refine your query"). Cursor pages stay consistent: the same
        /// query ranks the same candidates.
        /// </summary>
        public const int RankCap = 1_000;

        private const string Score = "t.Weight + CASE WHEN t.TokenCount = @TokenCount THEN 10 ELSE 0 END";

        public static readonly SqlStatement Search = new(
            Sqlite: $"""
                WITH others AS MATERIALIZED (SELECT value FROM json_each(@Tokens) WHERE value <> @Driver),
                driven AS (
                    SELECT t.CaseId, t.Entry, {Score} AS Score FROM SearchTerms t
                    WHERE t.Token = @Driver AND {Visible}
                      AND NOT EXISTS (SELECT 1 FROM others q
                                      WHERE NOT EXISTS (SELECT 1 FROM SearchTerms o WHERE o.Token = q.value AND o.Weight = t.Weight AND o.CaseId = t.CaseId AND +o.Entry = t.Entry))
                    ORDER BY t.Weight DESC, t.CaseId, t.Entry
                    LIMIT @Cap
                ),
                matched AS (
                    SELECT CaseId, Entry, Score FROM driven
                    UNION
                    SELECT * FROM (SELECT t.CaseId, t.Entry, {Score} AS Score FROM SearchTerms t
                                   WHERE t.Token = @Compact AND {Visible} ORDER BY t.Weight DESC, t.CaseId, t.Entry LIMIT @Cap)
                ),
                ranked AS (SELECT CaseId, MAX(Score) AS Score FROM matched GROUP BY CaseId),
                page AS (SELECT r.CaseId, r.Score FROM ranked r WHERE {Keyset} ORDER BY r.Score DESC, r.CaseId LIMIT @Limit)
                SELECT p.CaseId, p.Score AS CaseScore, c.Reference, c.State, c.RequestingState, c.RequestedState, e.Field, e.Label, e.Text, m.Score,
                       (SELECT COUNT(*) FROM driven) AS Candidates
                FROM page p JOIN Cases c ON c.Id = p.CaseId
                JOIN matched m ON m.CaseId = p.CaseId
                JOIN SearchEntries e ON e.CaseId = m.CaseId AND e.Entry = m.Entry
                ORDER BY p.Score DESC, p.CaseId, m.Score DESC, m.Entry
                """,
            SqlServer: $"""
                WITH driven AS (
                    SELECT TOP (@Cap) t.CaseId, t.Entry, {Score} AS Score FROM dbo.SearchTerms t
                    WHERE t.Token = @Driver AND {Visible}
                      AND NOT EXISTS (SELECT 1 FROM OPENJSON(@Tokens) q
                                      WHERE CAST(q.[value] AS nvarchar(64)) COLLATE Latin1_General_100_BIN2 <> @Driver
                                        AND NOT EXISTS (SELECT 1 FROM dbo.SearchTerms o
                                                        WHERE o.Token = CAST(q.[value] AS nvarchar(64)) COLLATE Latin1_General_100_BIN2
                                                          AND o.Weight = t.Weight AND o.CaseId = t.CaseId AND o.Entry = t.Entry))
                    ORDER BY t.Weight DESC, t.CaseId, t.Entry
                ),
                compact AS (
                    SELECT TOP (@Cap) t.CaseId, t.Entry, {Score} AS Score FROM dbo.SearchTerms t
                    WHERE t.Token = @Compact AND {Visible} ORDER BY t.Weight DESC, t.CaseId, t.Entry
                ),
                matched AS (SELECT CaseId, Entry, Score FROM driven UNION SELECT CaseId, Entry, Score FROM compact),
                ranked AS (SELECT CaseId, MAX(Score) AS Score FROM matched GROUP BY CaseId),
                page AS (SELECT TOP (@Limit) r.CaseId, r.Score FROM ranked r WHERE {Keyset} ORDER BY r.Score DESC, r.CaseId)
                SELECT p.CaseId, p.Score AS CaseScore, c.Reference, c.State, c.RequestingState, c.RequestedState, e.Field, e.Label, e.Text, m.Score,
                       (SELECT COUNT(*) FROM driven) AS Candidates
                FROM page p JOIN dbo.Cases c ON c.Id = p.CaseId
                JOIN matched m ON m.CaseId = p.CaseId
                JOIN dbo.SearchEntries e ON e.CaseId = m.CaseId AND e.Entry = m.Entry
                ORDER BY p.Score DESC, p.CaseId, m.Score DESC, m.Entry
                OPTION (RECOMPILE);
                """);
    }
}
