using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Links;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using MediatR;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What links promise on every provider at hand (<see cref="CaseLinks.Sql"/>, <see cref="SuggestLinks.Sql"/>): the
/// suggestions read the search index for a shared document number and an exact name with the birth date, among the
/// caller's cases only; a confirmed link is stored once with an event in both chains (two for a competing request),
/// and each case lists it with the other case named only for a caller who may see it. Countries EE, FI, IS and NO
/// are this fixture's alone; each test's passport number is its own.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class LinksContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private static Caller OfficerOf(string country) => new($"officer-1-{country}", Caller.Officer, country, null, "https://idp.test");

    private static CaseFile PersonFile(string requesting, string requested, string fullName, string passport, DateOnly born)
    {
        var file = CaseFileFor(fullName, requesting, requested);
        return file with
        {
            Person = file.Person with
            {
                DateOfBirth = born,
                Aliases = [],
                Names = [],
                IdentityDocuments = [new IdentityDocument { Kind = IdentityDocumentKind.Passport, Number = passport, IssuingCountry = "EE" }],
            },
        };
    }

    [Test]
    public async Task Suggestions_read_the_index_and_a_confirmed_competing_link_is_stored_once_with_events_in_both_chains()
    {
        var passport = "EE" + Random.Shared.Next(10_000_000, 99_999_999);
        var born = new DateOnly(1975, 3, 10);
        var (a, _) = await FileAsync(PersonFile("EE", "FI", "Zafar Iqbal Chaudhry", passport, born), Now);
        var (b, _) = await FileAsync(PersonFile("IS", "FI", "Chaudhary Zafar Iqbal", passport[..4] + "-" + passport[4..], born), Now.AddSeconds(1));
        var (c, _) = await FileAsync(PersonFile("EE", "NO", "Zafar Iqbal Choudhry", "NO" + passport, born), Now.AddSeconds(2));
        var (d, _) = await FileAsync(PersonFile("IS", "FI", "Zafar Iqbal Chaudhry", "FI" + passport, born.AddDays(1)), Now.AddSeconds(3));

        SuggestLinks.Result forFi, forEe;
        await using (var session = Open())
        {
            forFi = await session.Get<IMediator>().Send(new SuggestLinks.Query(OfficerOf("FI"), a.Id));
            forEe = await session.Get<IMediator>().Send(new SuggestLinks.Query(OfficerOf("EE"), a.Id));
        }

        LinkView link;
        await using (var session = Open())
        {
            var fi = OfficerOf("FI");
            var target = await CaseWrites.LoadAsync(session.Store, fi, a.Id, CancellationToken.None);
            link = await session.Get<IMediator>().Send(new LinkCases.Command(fi, Source, target, new LinkInput { CaseId = b.Id.ToString(), Reason = "Same passport." }));
        }

        IReadOnlyList<CaseLinkEntry> aForEe, bForFi;
        LinkView? found;
        await using (var session = Open())
        {
            var database = session.Get<IDatabaseSession>();
            aForEe = await CaseLinks.OfCaseAsync(database, OfficerOf("EE"), a.Id, CancellationToken.None);
            bForFi = await CaseLinks.OfCaseAsync(database, OfficerOf("FI"), b.Id, CancellationToken.None);
            found = await CaseLinks.FindAsync(database, link.Id, CancellationToken.None);
        }

        const string Types = "SELECT Type FROM CaseEvents WHERE CaseId = @Id ORDER BY Sequence";
        var aTypes = await QueryAsync<string>(Sql(Types, Types.Replace("FROM ", "FROM dbo.")), new { a.Id });
        var bTypes = await QueryAsync<string>(Sql(Types, Types.Replace("FROM ", "FROM dbo.")), new { b.Id });
        var rows = await QueryAsync<int>(Sql("SELECT COUNT(*) FROM CaseLinks WHERE Id = @Id", "SELECT COUNT(*) FROM dbo.CaseLinks WHERE Id = @Id;"), new { link.Id });

        Assert.Multiple(() =>
        {
            Assert.That(forFi.Items.Select(s => s.Case.Id), Is.EqualTo(new[] { b.Id }), "d has another passport and birth date");
            Assert.That(forFi.Items[0].Evidence.Select(e => e.Kind), Is.EqualTo(new[] { "IdentityDocument", "NameAndDateOfBirth" }));
            Assert.That(forFi.Items[0].WouldCompete, Is.True);
            Assert.That(forEe.Items.Select(s => s.Case.Id), Is.EqualTo(new[] { c.Id }), "EE does not see IS's case; Choudhry is Chaudhry");
            Assert.That(link.Competing, Is.True);
            Assert.That(found, Is.EqualTo(link) .Using<LinkView>((x, y) => x.Id == y.Id && x.Cases.SequenceEqual(y.Cases) && x.Reason == y.Reason));
            Assert.That(link.Cases.Select(x => x.Id), Is.EqualTo(new[] { a.Id, b.Id }), "in filing order");
            Assert.That(rows, Is.EqualTo(new[] { 1 }));
            Assert.That(aTypes, Is.EqualTo(new[] { "CaseFiled", "CaseLinked", "CompetingRequestDetected" }));
            Assert.That(bTypes, Is.EqualTo(aTypes));
            Assert.That(aForEe.Select(l => (l.LinkId, l.Competing, l.OtherCase)), Is.EqualTo(new[] { (link.Id, true, (LinkedCase?)null) }));
            Assert.That(bForFi.Single().OtherCase?.Id, Is.EqualTo(a.Id));
        });
    }
}
