using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Documents;

public static partial class GetDocument
{
    public static class Sql
    {
        /// <summary>One document of one case, if the reader's state may see it, with the document superseding it.</summary>
        public static readonly SqlStatement Find = new(
            Sqlite: """
                SELECT d.Id, d.CaseId, d.Sequence, d.Kind, d.Title, d.Language, d.TranslationOf, d.AssuranceKind, d.ReceivedOn, d.ReceivedFrom,
                    d.FileName, d.MediaType, d.Size, d.Sha256, d.Supersedes, d.PrivateTo, d.Salt, d.UploadedAt, d.UploadedBy, d.UploadedByCountry, d.UploadedByIssuer,
                    (SELECT s.Id FROM Documents s WHERE s.Supersedes = d.Id AND (s.PrivateTo IS NULL OR s.PrivateTo = @Country)
                     ORDER BY s.Sequence LIMIT 1) AS SupersededBy
                FROM Documents d
                WHERE d.CaseId = @CaseId AND d.Id = @Id AND (d.PrivateTo IS NULL OR d.PrivateTo = @Country)
                """,
            SqlServer: """
                SELECT d.Id, d.CaseId, d.Sequence, d.Kind, d.Title, d.Language, d.TranslationOf, d.AssuranceKind,
                    CONVERT(char(10), d.ReceivedOn, 23) AS ReceivedOn, d.ReceivedFrom,
                    d.FileName, d.MediaType, d.Size, d.Sha256, d.Supersedes, d.PrivateTo, d.Salt, d.UploadedAt, d.UploadedBy, d.UploadedByCountry, d.UploadedByIssuer,
                    (SELECT TOP (1) s.Id FROM dbo.Documents s WHERE s.Supersedes = d.Id AND (s.PrivateTo IS NULL OR s.PrivateTo = @Country)
                     ORDER BY s.Sequence) AS SupersededBy
                FROM dbo.Documents d
                WHERE d.CaseId = @CaseId AND d.Id = @Id AND (d.PrivateTo IS NULL OR d.PrivateTo = @Country);
                """);
    }
}
