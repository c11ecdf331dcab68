namespace ExtraditionCases.Application.Abstractions;

/// <summary>A document's metadata as stored; the bytes are apart (<see cref="IDocumentStore"/>).</summary>
public sealed record StoredDocument
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public int Sequence { get; init; }
    public string Kind { get; init; } = "";
    public string? Title { get; init; }
    public string? Language { get; init; }
    public Guid? TranslationOf { get; init; }
    public string? AssuranceKind { get; init; }
    public string? ReceivedOn { get; init; }
    public string? ReceivedFrom { get; init; }
    public string? FileName { get; init; }
    public string MediaType { get; init; } = "";
    public long Size { get; init; }
    public string Sha256 { get; init; } = "";
    public Guid? Supersedes { get; init; }
    public string? PrivateTo { get; init; }
    public string? Salt { get; init; }
    public DateTimeOffset UploadedAt { get; init; }
    public string UploadedBy { get; init; } = "";
    /// <summary>The issuer of the uploader's token: with <see cref="UploadedBy"/>, who uploaded it (null: uploaded before issuers were stored and unknown).</summary>
    public string? UploadedByIssuer { get; init; }
    public string? UploadedByCountry { get; init; }

    /// <summary>The document that supersedes this one, where the reader may see it (read only).</summary>
    public Guid? SupersededBy { get; init; }
}

/// <summary>
/// The document register's writes and its content streams. Two implementations, one per provider:
/// SQLite writes and reads the bytes with incremental BLOB I/O, SQL Server with a streamed parameter
/// and a sequential reader. Neither holds a whole document in memory. Writes enlist in the request's transaction.
/// </summary>
public interface IDocumentStore
{
    /// <summary>Stores the metadata and exactly <see cref="StoredDocument.Size"/> bytes read from <paramref name="content"/>.</summary>
    Task AddAsync(StoredDocument document, Stream content, CancellationToken cancellationToken);

    /// <summary>The document's bytes as a stream the caller disposes; null when it has none.</summary>
    Task<Stream?> OpenContentAsync(Guid documentId, CancellationToken cancellationToken);
}
