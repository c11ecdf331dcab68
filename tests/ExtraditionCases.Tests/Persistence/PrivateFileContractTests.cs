using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.History;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What the per-state private file promises on every provider at hand (<see cref="PrivateFile.Sql"/>):
/// each state reads its own latest values, stored salts and contents recompute their commitments, and
/// erasure removes salt and content of every entry of a member while the commitments stay.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class PrivateFileContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private async Task<JsonArray> RecordAsync(Guid caseId, string country, int sequence, Dictionary<string, JsonNode?> changes)
    {
        await using var session = Open();
        await session.Database.BeginAsync(CancellationToken.None);
        var database = session.Get<IDatabaseSession>();
        var current = await PrivateFile.CurrentAsync(database, caseId, country, CancellationToken.None);
        var commitments = await PrivateFile.RecordAsync(database, caseId, country, sequence, Now, current, changes, CancellationToken.None);
        await session.Database.CommitAsync(CancellationToken.None);
        return commitments;
    }

    [Test]
    public async Task Each_state_reads_its_latest_values_and_erasure_keeps_the_commitments()
    {
        var (filed, _) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        var first = await RecordAsync(filed.Id, "GB", 2, new()
        {
            [PrivateFile.AsylumClaim] = new JsonObject { ["reference"] = "پناہ-1", ["status"] = "Pending" },
            [PrivateFile.HealthNotes] = "Diabetes",
        });
        var unchanged = await RecordAsync(filed.Id, "GB", 3, new() { [PrivateFile.HealthNotes] = "Diabetes" });
        await RecordAsync(filed.Id, "GB", 4, new() { [PrivateFile.AsylumClaim] = new JsonObject { ["status"] = "Refused" } });
        await RecordAsync(filed.Id, "PK", 5, new() { [PrivateFile.HealthNotes] = "PK's own note" });

        await using var session = Open();
        var database = session.Get<IDatabaseSession>();
        var gb = await PrivateFile.CurrentAsync(database, filed.Id, "GB", CancellationToken.None);
        var pk = await PrivateFile.CurrentAsync(database, filed.Id, "PK", CancellationToken.None);
        var entries = await database.QueryAsync<PrivateFile.Entry>(PrivateFile.Sql.All, new { CaseId = filed.Id, Country = "GB" }, CancellationToken.None);

        await session.Database.BeginAsync(CancellationToken.None);
        var erased = await database.ExecuteAsync(PrivateFile.Sql.Erase,
            new { CaseId = filed.Id, Country = "GB", Member = PrivateFile.AsylumClaim, ErasedAt = Now }, CancellationToken.None);
        await session.Database.CommitAsync(CancellationToken.None);
        var afterErasure = await database.QueryAsync<PrivateFile.Entry>(PrivateFile.Sql.All, new { CaseId = filed.Id, Country = "GB" }, CancellationToken.None);
        var gbAfter = await PrivateFile.CurrentAsync(database, filed.Id, "GB", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Has.Count.EqualTo(2));
            Assert.That(unchanged, Is.Empty, "an unchanged value records nothing");
            Assert.That((string?)gb[PrivateFile.AsylumClaim]!["status"], Is.EqualTo("Refused"));
            Assert.That((string?)gb[PrivateFile.HealthNotes], Is.EqualTo("Diabetes"));
            Assert.That((string?)pk[PrivateFile.HealthNotes], Is.EqualTo("PK's own note"));
            Assert.That(pk.ContainsKey(PrivateFile.AsylumClaim), Is.False);
            Assert.That(entries, Has.Count.EqualTo(3));
            Assert.That(entries.All(e => Commitments.Verify(e.Salt!, PrivateFile.Committed(e.Member, JsonNode.Parse(e.Content!)), e.Commitment)), Is.True);
            Assert.That(entries.Where(e => e.Sequence == 2).Select(e => e.Commitment),
                Is.EquivalentTo(first.Select(c => (string)c!["commitment"]!)), "the shared event holds these commitments");

            Assert.That(erased, Is.EqualTo(2));
            Assert.That(afterErasure.Select(e => e.Commitment), Is.EqualTo(entries.Select(e => e.Commitment)), "commitments stay");
            Assert.That(afterErasure.Where(e => e.Member == PrivateFile.AsylumClaim).Select(e => (e.Salt, e.Content, e.ErasedAt)),
                Has.All.EqualTo(((string?)null, (string?)null, (DateTimeOffset?)Now)));
            Assert.That(gbAfter[PrivateFile.AsylumClaim], Is.Null);
        });
    }
}
