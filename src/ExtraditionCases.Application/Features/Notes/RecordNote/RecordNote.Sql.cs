using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Notes;

public static partial class RecordNote
{
    public static class Sql
    {
        public static readonly SqlStatement Insert = new(
            Sqlite: """
                INSERT INTO CaseNotes (Id, CaseId, Sequence, Kind, Direction, Counterpart, OccurredAt, Text, RelatedDocuments, PrivateTo, Salt, RecordedAt, RecordedBy, RecordedByCountry, RecordedByIssuer)
                VALUES (@Id, @CaseId, @Sequence, @Kind, @Direction, @Counterpart, @OccurredAt, @Text, @RelatedDocuments, @PrivateTo, @Salt, @RecordedAt, @RecordedBy, @RecordedByCountry, @RecordedByIssuer)
                """,
            SqlServer: """
                INSERT INTO dbo.CaseNotes (Id, CaseId, Sequence, Kind, Direction, Counterpart, OccurredAt, Text, RelatedDocuments, PrivateTo, Salt, RecordedAt, RecordedBy, RecordedByCountry, RecordedByIssuer)
                VALUES (@Id, @CaseId, @Sequence, @Kind, @Direction, @Counterpart, @OccurredAt, @Text, @RelatedDocuments, @PrivateTo, @Salt, @RecordedAt, @RecordedBy, @RecordedByCountry, @RecordedByIssuer);
                """);
    }
}
