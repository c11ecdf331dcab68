using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Documents;

/// <summary>
/// Every statement the document stores run, in both dialects. The content statements differ in kind as
/// the providers do: SQLite inserts a zero-filled blob of the right size and hands back its rowid for
/// incremental BLOB I/O; SQL Server inserts from a streamed parameter and reads with SequentialAccess.
/// </summary>
public sealed record DocumentStoreSql(string InsertDocument, string InsertContent, string FindContent)
{
    private const string Columns =
        "Id, CaseId, Sequence, Kind, Title, Language, TranslationOf, AssuranceKind, ReceivedOn, ReceivedFrom, FileName, MediaType, Size, Sha256, Supersedes, PrivateTo, Salt, UploadedAt, UploadedBy, UploadedByCountry, UploadedByIssuer";

    private const string Values =
        "@Id, @CaseId, @Sequence, @Kind, @Title, @Language, @TranslationOf, @AssuranceKind, @ReceivedOn, @ReceivedFrom, @FileName, @MediaType, @Size, @Sha256, @Supersedes, @PrivateTo, @Salt, @UploadedAt, @UploadedBy, @UploadedByCountry, @UploadedByIssuer";

    public static readonly Dialect<DocumentStoreSql> Statements = new(
        Sqlite: new DocumentStoreSql(
            InsertDocument: $"INSERT INTO Documents ({Columns}) VALUES ({Values})",
            InsertContent: "INSERT INTO DocumentContents (DocumentId, Content) VALUES (@DocumentId, zeroblob(@Size)) RETURNING rowid",
            FindContent: "SELECT rowid FROM DocumentContents WHERE DocumentId = @DocumentId"),
        SqlServer: new DocumentStoreSql(
            InsertDocument: $"INSERT INTO dbo.Documents ({Columns}) VALUES ({Values});",
            InsertContent: "INSERT INTO dbo.DocumentContents (DocumentId, Content) VALUES (@DocumentId, @Content);",
            FindContent: "SELECT Content FROM dbo.DocumentContents WHERE DocumentId = @DocumentId;"));
}
