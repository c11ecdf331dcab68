using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Documents;

public static partial class ListDocuments
{
    public static class Sql
    {
        /// <summary>A page of a case's register in the order recorded, with the documents the reader's state may see.</summary>
        public static readonly SqlStatement Page = new(
            Sqlite: """
                SELECT d.Id, d.CaseId, d.Sequence, d.Kind, d.Title, d.Language, d.TranslationOf, d.AssuranceKind, d.ReceivedOn, d.ReceivedFrom,
                    d.FileName, d.MediaType, d.Size, d.Sha256, d.Supersedes, d.PrivateTo, d.Salt, d.UploadedAt, d.UploadedBy, d.UploadedByCountry, d.UploadedByIssuer,
                    (SELECT s.Id FROM Documents s WHERE s.Supersedes = d.Id AND (s.PrivateTo IS NULL OR s.PrivateTo = @Country)
                     ORDER BY s.Sequence LIMIT 1) AS SupersededBy
                FROM Documents d
                WHERE d.CaseId = @CaseId AND d.Sequence > @AfterSequence AND (d.PrivateTo IS NULL OR d.PrivateTo = @Country)
                ORDER BY d.Sequence
                LIMIT @Limit
                """,
            SqlServer: """
                SELECT TOP (@Limit) d.Id, d.CaseId, d.Sequence, d.Kind, d.Title, d.Language, d.TranslationOf, d.AssuranceKind,
                    CONVERT(char(10), d.ReceivedOn, 23) AS ReceivedOn, d.ReceivedFrom,
                    d.FileName, d.MediaType, d.Size, d.Sha256, d.Supersedes, d.PrivateTo, d.Salt, d.UploadedAt, d.UploadedBy, d.UploadedByCountry, d.UploadedByIssuer,
                    (SELECT TOP (1) s.Id FROM dbo.Documents s WHERE s.Supersedes = d.Id AND (s.PrivateTo IS NULL OR s.PrivateTo = @Country)
                     ORDER BY s.Sequence) AS SupersededBy
                FROM dbo.Documents d
                WHERE d.CaseId = @CaseId AND d.Sequence > @AfterSequence AND (d.PrivateTo IS NULL OR d.PrivateTo = @Country)
                ORDER BY d.Sequence;
                """);
    }
}
