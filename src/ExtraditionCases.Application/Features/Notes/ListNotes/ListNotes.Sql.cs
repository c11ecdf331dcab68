using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Notes;

public static partial class ListNotes
{
    public static class Sql
    {
        public static readonly SqlStatement Page = new(
            Sqlite: """
                SELECT Id, CaseId, Sequence, Kind, Direction, Counterpart, OccurredAt, Text, RelatedDocuments, PrivateTo, Salt, RecordedAt, RecordedBy, RecordedByCountry, RecordedByIssuer
                FROM CaseNotes
                WHERE CaseId = @CaseId AND Sequence > @AfterSequence AND (PrivateTo IS NULL OR PrivateTo = @Country)
                ORDER BY Sequence
                LIMIT @Limit
                """,
            SqlServer: """
                SELECT TOP (@Limit) Id, CaseId, Sequence, Kind, Direction, Counterpart, OccurredAt, Text, RelatedDocuments, PrivateTo, Salt, RecordedAt, RecordedBy, RecordedByCountry, RecordedByIssuer
                FROM dbo.CaseNotes
                WHERE CaseId = @CaseId AND Sequence > @AfterSequence AND (PrivateTo IS NULL OR PrivateTo = @Country)
                ORDER BY Sequence;
                """);
    }
}
