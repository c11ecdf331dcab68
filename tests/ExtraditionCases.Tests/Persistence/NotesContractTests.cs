using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Notes;
using ExtraditionCases.Application.History;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What the notes promise on every provider at hand (<see cref="RecordNote.Sql"/>, <see cref="ListNotes.Sql"/>):
/// a note reads back exactly, in order, another state's private notes are not listed, and a private note's
/// stored salt and content recompute the commitment its shared event holds.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class NotesContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private static StoredNote Note(Guid caseId, int sequence, string text, string? privateTo = null) => new()
    {
        Id = Guid.CreateVersion7(),
        CaseId = caseId,
        Sequence = sequence,
        Kind = "Letter",
        Direction = "In",
        Counterpart = "وزارت خارجہ",
        OccurredAt = Now.AddDays(-1),
        Text = text,
        RelatedDocuments = $"[\"{Guid.Empty:D}\"]",
        PrivateTo = privateTo,
        RecordedAt = Now,
        RecordedBy = "officer-1-GB",
        RecordedByCountry = "GB",
    };

    private async Task InsertAsync(StoredNote note)
    {
        await using var session = Open();
        await session.Database.BeginAsync(CancellationToken.None);
        await session.Get<IDatabaseSession>().ExecuteAsync(RecordNote.Sql.Insert, note, CancellationToken.None);
        await session.Database.CommitAsync(CancellationToken.None);
    }

    [Test]
    public async Task Notes_read_back_exactly_in_order_and_private_ones_only_for_their_state()
    {
        var (filed, _) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        var shared = Note(filed.Id, 2, "مراسلہ موصول ہوا\nLetter received.");
        var privateNote = Note(filed.Id, 3, "Counsel advises an asylum claim is likely.", "GB");
        var commitment = Commitments.Commit(RecordNote.EventData(privateNote));
        privateNote = privateNote with { Salt = commitment.Salt };
        await InsertAsync(shared);
        await InsertAsync(privateNote);

        await using var session = Open();
        var database = session.Get<IDatabaseSession>();
        var forGb = await ListNotes.ReadAsync(database, filed.Id, "GB", 0, 10, CancellationToken.None);
        var forPk = await ListNotes.ReadAsync(database, filed.Id, "PK", 0, 10, CancellationToken.None);
        var afterShared = await ListNotes.ReadAsync(database, filed.Id, "GB", 2, 10, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(forGb, Is.EqualTo(new[] { shared, privateNote }));
            Assert.That(forPk, Is.EqualTo(new[] { shared }));
            Assert.That(afterShared, Is.EqualTo(new[] { privateNote }));
            Assert.That(Commitments.Verify(forGb[1].Salt!, RecordNote.EventData(forGb[1]), commitment.Value), Is.True,
                "the stored salt and content recompute the commitment");
            Assert.That(Commitments.Verify(forGb[1].Salt!, RecordNote.EventData(forGb[1] with { Text = "changed" }), commitment.Value), Is.False);
        });
    }
}
