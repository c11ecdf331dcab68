using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Search;

public static partial class SearchIndex
{
    /// <summary>The index's writes in both dialects (tables of migration 0012).</summary>
    public static class Sql
    {
        public static readonly SqlStatement DeleteFileTerms = new(
            Sqlite: "DELETE FROM SearchTerms WHERE CaseId = @CaseId AND Entry < @EventEntryBase",
            SqlServer: "DELETE FROM dbo.SearchTerms WHERE CaseId = @CaseId AND Entry < @EventEntryBase;");

        public static readonly SqlStatement DeleteFileEntries = new(
            Sqlite: "DELETE FROM SearchEntries WHERE CaseId = @CaseId AND Entry < @EventEntryBase",
            SqlServer: "DELETE FROM dbo.SearchEntries WHERE CaseId = @CaseId AND Entry < @EventEntryBase;");

        public static readonly SqlStatement DeleteAllTerms = new(
            Sqlite: "DELETE FROM SearchTerms WHERE CaseId = @CaseId",
            SqlServer: "DELETE FROM dbo.SearchTerms WHERE CaseId = @CaseId;");

        public static readonly SqlStatement DeleteAllEntries = new(
            Sqlite: "DELETE FROM SearchEntries WHERE CaseId = @CaseId",
            SqlServer: "DELETE FROM dbo.SearchEntries WHERE CaseId = @CaseId;");

        /// <summary>All of a save's entries of one case in one statement: @Rows is the JSON array <see cref="SearchIndex.Rows"/> writes.</summary>
        public static readonly SqlStatement InsertEntries = new(
            Sqlite: """
                INSERT INTO SearchEntries (CaseId, Entry, Field, Label, Text, Weight, TokenCount)
                SELECT @CaseId, r.value ->> '$.Entry', r.value ->> '$.Field', r.value ->> '$.Label', r.value ->> '$.Text',
                       r.value ->> '$.Weight', r.value ->> '$.TokenCount'
                FROM json_each(@Rows) r
                """,
            SqlServer: """
                INSERT INTO dbo.SearchEntries (CaseId, Entry, Field, Label, Text, Weight, TokenCount)
                SELECT @CaseId, r.Entry, r.Field, r.Label, r.Text, r.Weight, r.TokenCount
                FROM OPENJSON(@Rows) WITH (Entry int '$.Entry', Field nvarchar(max) '$.Field', Label nvarchar(max) '$.Label',
                                           Text nvarchar(max) '$.Text', Weight int '$.Weight', TokenCount int '$.TokenCount') r;
                """);

        /// <summary>
        /// All of a save's terms of one case in one statement, each carrying its entry's weight and token count and the
        /// case's states (migration 0017). The states never change after filing (a file edit keeps them), so event
        /// entries' rows written earlier stay right. Strings are nvarchar(max) in the WITH clause so that a value the
        /// column cannot hold fails the insert as a parameter would, never truncated by OPENJSON.
        /// </summary>
        public static readonly SqlStatement InsertTerms = new(
            Sqlite: """
                INSERT INTO SearchTerms (Token, CaseId, Entry, Weight, TokenCount, RequestingState, RequestedState)
                SELECT r.value ->> '$.Token', @CaseId, r.value ->> '$.Entry', r.value ->> '$.Weight', r.value ->> '$.TokenCount',
                       @RequestingState, @RequestedState
                FROM json_each(@Rows) r
                """,
            SqlServer: """
                INSERT INTO dbo.SearchTerms (Token, CaseId, Entry, Weight, TokenCount, RequestingState, RequestedState)
                SELECT r.Token, @CaseId, r.Entry, r.Weight, r.TokenCount, @RequestingState, @RequestedState
                FROM OPENJSON(@Rows) WITH (Token nvarchar(max) '$.Token', Entry int '$.Entry', Weight int '$.Weight', TokenCount int '$.TokenCount') r;
                """);

        public static readonly SqlStatement UpdateIndexed = new(
            Sqlite: "UPDATE SearchIndexed SET IndexVersion = @IndexVersion WHERE CaseId = @CaseId",
            SqlServer: "UPDATE dbo.SearchIndexed SET IndexVersion = @IndexVersion WHERE CaseId = @CaseId;");

        public static readonly SqlStatement InsertIndexed = new(
            Sqlite: "INSERT INTO SearchIndexed (CaseId, IndexVersion) VALUES (@CaseId, @IndexVersion)",
            SqlServer: "INSERT INTO dbo.SearchIndexed (CaseId, IndexVersion) VALUES (@CaseId, @IndexVersion);");

        /// <summary>Cases never indexed, or indexed under older rules: the start-up step's work list.</summary>
        public static readonly SqlStatement Unindexed = new(
            Sqlite: """
                SELECT c.Id FROM Cases c LEFT JOIN SearchIndexed s ON s.CaseId = c.Id
                WHERE s.CaseId IS NULL OR s.IndexVersion < @IndexVersion ORDER BY c.Id LIMIT @Limit
                """,
            SqlServer: """
                SELECT TOP (@Limit) c.Id FROM dbo.Cases c LEFT JOIN dbo.SearchIndexed s ON s.CaseId = c.Id
                WHERE s.CaseId IS NULL OR s.IndexVersion < @IndexVersion ORDER BY c.Id;
                """);

        /// <summary>The transitions whose data may hold references, for re-indexing a case.</summary>
        public static readonly SqlStatement Transitions = new(
            Sqlite: "SELECT Sequence, \"Trigger\", Data FROM CaseEvents WHERE CaseId = @CaseId AND Type = 'Transitioned' ORDER BY Sequence",
            SqlServer: "SELECT Sequence, [Trigger], Data FROM dbo.CaseEvents WHERE CaseId = @CaseId AND Type = N'Transitioned' ORDER BY Sequence;");
    }
}
