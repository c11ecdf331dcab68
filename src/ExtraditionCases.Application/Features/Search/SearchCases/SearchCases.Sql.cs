using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Search;

public static partial class SearchCases
{
    /// <summary>
    /// One statement per dialect. The query's tokens arrive as a JSON array (json_each, OPENJSON) so the
    /// statement text is fixed; each token is a seek on SearchTerms' primary key. An entry matches when it
    /// holds all @TokenCount tokens, or the compact form of the whole query; its score is the entry's
    /// weight plus 10 when the query names every token of it. A case ranks by its best entry; pages are
    /// keyset on (score descending, case id), and only the page's cases are joined back to their entries.
    /// </summary>
    public static class Sql
    {
        private const string Visible = "(@Country IS NULL OR c.RequestingState = @Country OR c.RequestedState = @Country)";
        private const string Keyset = "(r.Score < @AfterScore OR (r.Score = @AfterScore AND r.CaseId > @AfterCaseId))";

        public static readonly SqlStatement Search = new(
            Sqlite: $"""
                WITH matched AS (
                    SELECT t.CaseId, t.Entry FROM SearchTerms t JOIN json_each(@Tokens) q ON t.Token = q.value
                    GROUP BY t.CaseId, t.Entry HAVING COUNT(*) = @TokenCount
                    UNION
                    SELECT t.CaseId, t.Entry FROM SearchTerms t WHERE t.Token = @Compact
                ),
                scored AS (
                    SELECT m.CaseId, m.Entry, e.Field, e.Label, e.Text,
                           e.Weight + CASE WHEN e.TokenCount = @TokenCount THEN 10 ELSE 0 END AS Score
                    FROM matched m
                    JOIN SearchEntries e ON e.CaseId = m.CaseId AND e.Entry = m.Entry
                    JOIN Cases c ON c.Id = m.CaseId
                    WHERE {Visible}
                ),
                ranked AS (SELECT CaseId, MAX(Score) AS Score FROM scored GROUP BY CaseId),
                page AS (SELECT r.CaseId, r.Score FROM ranked r WHERE {Keyset} ORDER BY r.Score DESC, r.CaseId LIMIT @Limit)
                SELECT p.CaseId, p.Score AS CaseScore, c.Reference, c.State, c.RequestingState, c.RequestedState, s.Field, s.Label, s.Text, s.Score
                FROM page p JOIN Cases c ON c.Id = p.CaseId JOIN scored s ON s.CaseId = p.CaseId
                ORDER BY p.Score DESC, p.CaseId, s.Score DESC, s.Entry
                """,
            SqlServer: $"""
                WITH matched AS (
                    SELECT t.CaseId, t.Entry FROM dbo.SearchTerms t
                    JOIN OPENJSON(@Tokens) q ON t.Token = CAST(q.[value] AS nvarchar(64)) COLLATE Latin1_General_100_BIN2
                    GROUP BY t.CaseId, t.Entry HAVING COUNT(*) = @TokenCount
                    UNION
                    SELECT t.CaseId, t.Entry FROM dbo.SearchTerms t WHERE t.Token = @Compact
                ),
                scored AS (
                    SELECT m.CaseId, m.Entry, e.Field, e.Label, e.Text,
                           e.Weight + CASE WHEN e.TokenCount = @TokenCount THEN 10 ELSE 0 END AS Score
                    FROM matched m
                    JOIN dbo.SearchEntries e ON e.CaseId = m.CaseId AND e.Entry = m.Entry
                    JOIN dbo.Cases c ON c.Id = m.CaseId
                    WHERE {Visible}
                ),
                ranked AS (SELECT CaseId, MAX(Score) AS Score FROM scored GROUP BY CaseId),
                page AS (SELECT TOP (@Limit) r.CaseId, r.Score FROM ranked r WHERE {Keyset} ORDER BY r.Score DESC, r.CaseId)
                SELECT p.CaseId, p.Score AS CaseScore, c.Reference, c.State, c.RequestingState, c.RequestedState, s.Field, s.Label, s.Text, s.Score
                FROM page p JOIN dbo.Cases c ON c.Id = p.CaseId JOIN scored s ON s.CaseId = p.CaseId
                ORDER BY p.Score DESC, p.CaseId, s.Score DESC, s.Entry
                OPTION (RECOMPILE);
                """);
    }
}
