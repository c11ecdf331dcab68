using System.Security.Cryptography;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Documents;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What the document register promises on every provider at hand (<see cref="IDocumentStore"/>,
/// <see cref="GetDocument.Sql"/>, <see cref="ListDocuments.Sql"/>): metadata and bytes read back exactly,
/// bytes streamed in and out (SQLite incremental BLOB I/O, SQL Server streamed parameter and sequential
/// reader), a rolled-back upload leaves no row, and private documents show only to their own state.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class DocumentStoreContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static StoredDocument Document(Guid caseId, int sequence, byte[] bytes, string? privateTo = null, Guid? supersedes = null) => new()
    {
        Id = Guid.CreateVersion7(),
        CaseId = caseId,
        Sequence = sequence,
        Kind = "ForeignWarrant",
        Title = "وارنٹ گرفتاری",
        Language = "ur",
        ReceivedOn = "2026-08-01",
        ReceivedFrom = "وزارت داخلہ",
        FileName = "warrant.pdf",
        MediaType = "application/pdf",
        Size = bytes.LongLength,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        Supersedes = supersedes,
        PrivateTo = privateTo,
        Salt = privateTo is null ? null : new string('a', 64),
        UploadedAt = Now,
        UploadedBy = "officer-1-PK",
        UploadedByCountry = "PK",
    };

    private async Task AddAsync(StoredDocument document, byte[] bytes, bool commit = true)
    {
        await using var session = Open();
        await session.Database.BeginAsync(CancellationToken.None);
        await session.Get<IDocumentStore>().AddAsync(document, new MemoryStream(bytes), CancellationToken.None);
        if (commit) await session.Database.CommitAsync(CancellationToken.None);
        else await session.Database.RollbackAsync(CancellationToken.None);
    }

    private async Task<byte[]?> ReadAsync(Guid documentId)
    {
        await using var session = Open();
        await using var stream = await session.Get<IDocumentStore>().OpenContentAsync(documentId, CancellationToken.None);
        if (stream is null) return null;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Test]
    public async Task A_document_reads_back_exactly_bytes_and_metadata()
    {
        var (filed, _) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        var bytes = Bytes(3 * 1024 * 1024 + 17, 1);
        var document = Document(filed.Id, 2, bytes);

        await AddAsync(document, bytes);
        await using var session = Open();
        var found = await GetDocument.FindAsync(session.Get<IDatabaseSession>(), filed.Id, document.Id, "GB", CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(await ReadAsync(document.Id), Is.EqualTo(bytes));
            Assert.That(found, Is.EqualTo(document));
            Assert.That(await ReadAsync(Guid.NewGuid()), Is.Null);
        });
    }

    [Test]
    public async Task A_rolled_back_upload_leaves_no_row()
    {
        var (filed, _) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        var bytes = Bytes(100_000, 2);
        var document = Document(filed.Id, 2, bytes);

        await AddAsync(document, bytes, commit: false);
        await using var session = Open();

        Assert.Multiple(async () =>
        {
            Assert.That(await GetDocument.FindAsync(session.Get<IDatabaseSession>(), filed.Id, document.Id, "PK", CancellationToken.None), Is.Null);
            Assert.That(await ReadAsync(document.Id), Is.Null);
        });
    }

    [Test]
    public async Task A_stream_of_another_length_than_recorded_is_refused()
    {
        var (filed, _) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        var bytes = Bytes(1000, 3);

        Assert.That(async () => await AddAsync(Document(filed.Id, 2, bytes) with { Size = 1001 }, bytes), Throws.Exception);
        Assert.That(async () => await AddAsync(Document(filed.Id, 2, bytes) with { Size = 999 }, bytes), Throws.Exception);
    }

    [Test]
    public async Task The_register_lists_in_order_with_supersession_and_private_documents_of_the_readers_state_only()
    {
        var (filed, _) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        var (other, _) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        var first = Document(filed.Id, 2, Bytes(10, 4));
        var correction = Document(filed.Id, 3, Bytes(11, 5), supersedes: first.Id);
        var privateToGb = Document(filed.Id, 4, Bytes(12, 6), privateTo: "GB");
        var elsewhere = Document(other.Id, 2, Bytes(13, 7));
        foreach (var d in new[] { first, correction, privateToGb, elsewhere }) await AddAsync(d, Bytes((int)d.Size, 0));

        await using var session = Open();
        var database = session.Get<IDatabaseSession>();
        var forGb = await ListDocuments.ReadAsync(database, filed.Id, "GB", 0, 10, CancellationToken.None);
        var forPk = await ListDocuments.ReadAsync(database, filed.Id, "PK", 0, 10, CancellationToken.None);
        var afterFirst = await ListDocuments.ReadAsync(database, filed.Id, "GB", 2, 1, CancellationToken.None);
        var forChecklist = await GetChecklist.DocumentsAsync(database, filed.Id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(forGb.Select(d => d.Id), Is.EqualTo(new[] { first.Id, correction.Id, privateToGb.Id }));
            Assert.That(forPk.Select(d => d.Id), Is.EqualTo(new[] { first.Id, correction.Id }));
            Assert.That(forGb[0].SupersededBy, Is.EqualTo(correction.Id));
            Assert.That(forGb[1] with { SupersededBy = null }, Is.EqualTo(correction));
            Assert.That(afterFirst.Select(d => d.Id), Is.EqualTo(new[] { correction.Id }));
            Assert.That(forChecklist, Is.EqualTo(new[]
            {
                new ChecklistDocument { Id = first.Id, Kind = first.Kind, Title = first.Title, Language = first.Language },
                new ChecklistDocument { Id = correction.Id, Kind = correction.Kind, Title = correction.Title, Language = correction.Language, Supersedes = first.Id },
            }), "the shared register only");
        });
    }
}
