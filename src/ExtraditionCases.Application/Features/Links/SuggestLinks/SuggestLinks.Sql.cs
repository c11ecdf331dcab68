using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Links;

public static partial class SuggestLinks
{
    /// <summary>
    /// Both read the search index (migration 0012): a seek per number or name token on SearchTerms' key, then the
    /// entry, among the cases the caller's country may see, never the case itself.
    /// </summary>
    public static class Sql
    {
        private const string Visible = "(c.RequestingState = @Country OR c.RequestedState = @Country)";

        /// <summary>Identity-document entries holding one of @Numbers (JSON array of compact numbers) as a token.</summary>
        public static readonly SqlStatement ByNumber = new(
            Sqlite: $"""
                SELECT DISTINCT t.CaseId, e.Label, e.Text, t.Token
                FROM SearchTerms t JOIN json_each(@Numbers) q ON t.Token = q.value
                JOIN SearchEntries e ON e.CaseId = t.CaseId AND e.Entry = t.Entry
                JOIN Cases c ON c.Id = t.CaseId
                WHERE e.Field = 'IdentityDocument' AND t.CaseId <> @CaseId AND {Visible}
                ORDER BY t.CaseId, e.Label LIMIT @Limit
                """,
            SqlServer: $"""
                SELECT DISTINCT TOP (@Limit) t.CaseId, e.Label, e.Text, t.Token
                FROM dbo.SearchTerms t
                JOIN OPENJSON(@Numbers) q ON t.Token = CAST(q.[value] AS nvarchar(64)) COLLATE Latin1_General_100_BIN2
                JOIN dbo.SearchEntries e ON e.CaseId = t.CaseId AND e.Entry = t.Entry
                JOIN dbo.Cases c ON c.Id = t.CaseId
                WHERE e.Field = N'IdentityDocument' AND t.CaseId <> @CaseId AND {Visible}
                ORDER BY t.CaseId, e.Label;
                """);

        /// <summary>Name entries made of exactly the @TokenCount tokens of @Tokens (JSON array), in any order.</summary>
        public static readonly SqlStatement ByName = new(
            Sqlite: $"""
                SELECT m.CaseId, e.Label, e.Text
                FROM (SELECT t.CaseId, t.Entry FROM SearchTerms t JOIN json_each(@Tokens) q ON t.Token = q.value
                      GROUP BY t.CaseId, t.Entry HAVING COUNT(*) = @TokenCount) m
                JOIN SearchEntries e ON e.CaseId = m.CaseId AND e.Entry = m.Entry
                JOIN Cases c ON c.Id = m.CaseId
                WHERE e.Field = 'Name' AND e.TokenCount = @TokenCount AND m.CaseId <> @CaseId AND {Visible}
                ORDER BY m.CaseId, e.Entry LIMIT @Limit
                """,
            SqlServer: $"""
                SELECT TOP (@Limit) m.CaseId, e.Label, e.Text
                FROM (SELECT t.CaseId, t.Entry FROM dbo.SearchTerms t
                      JOIN OPENJSON(@Tokens) q ON t.Token = CAST(q.[value] AS nvarchar(64)) COLLATE Latin1_General_100_BIN2
                      GROUP BY t.CaseId, t.Entry HAVING COUNT(*) = @TokenCount) m
                JOIN dbo.SearchEntries e ON e.CaseId = m.CaseId AND e.Entry = m.Entry
                JOIN dbo.Cases c ON c.Id = m.CaseId
                WHERE e.Field = N'Name' AND e.TokenCount = @TokenCount AND m.CaseId <> @CaseId AND {Visible}
                ORDER BY m.CaseId, e.Entry;
                """);
    }
}
