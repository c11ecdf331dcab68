using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Search;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What the search index promises on every provider at hand (<see cref="SearchIndex.Sql"/>, <see cref="SearchCases.Sql"/>):
/// the store writes a case's entries with the case, rewrites them when the file changes and keeps a
/// transition's references; the start-up step rebuilds a case's index exactly; a search finds by every
/// token of one entry, by a number's compact form, within the caller's countries only. Each test's
/// names carry a token of its own, so tests sharing a server database never see each other's cases.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class SearchIndexContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private async Task<IReadOnlyList<SearchCases.Result>> SearchAsync(string q, string? country, int limit = 10, SearchCases.Position? after = null)
    {
        await using var session = Open();
        var caller = country is null ? new Caller("auditor-1", Caller.Auditor, "GB", null, "https://idp.test") : new Caller($"officer-1-{country}", Caller.Officer, country, null, "https://idp.test");
        var page = await new SearchCases.Handler(session.Get<IDatabaseSession>()).Handle(new SearchCases.Query(caller, q, limit, after), CancellationToken.None);
        return page.Items;
    }

    private static string Unique() => "Zq" + Guid.NewGuid().ToString("N")[..10];

    [Test]
    public async Task The_index_is_written_with_the_case_follows_its_file_and_keeps_transition_references()
    {
        var tag = Unique();
        var (filed, _) = await FileAsync(CaseFileFor($"ظفر اقبال {tag}", "SA", "SB"), Now);
        var (other, _) = await FileAsync(CaseFileFor($"Zafar Qureshi {tag}", "SC", "SB"), Now);
        await SaveAsync(filed.Id, c => c.UpdateFile(c.File with { Person = c.File.Person with { Aliases = [$"Mohammed Zafar Chaudhary {tag}"] } }, CaseSide.Requesting, Now), Now);
        await SaveAsync(filed.Id, c => ProvisionalArrest(c, Now), Now.AddMinutes(1),
            data: new JsonObject { ["warrantReference"] = $"WMC/PA/{tag}", ["court"] = "Westminster Magistrates' Court" });

        var byAlias = await SearchAsync($"{tag} chaudhry muhammad zafar", "SA");
        var byOldAlias = await SearchAsync("محسن", "SA");
        var byWarrant = await SearchAsync($"wmc pa {tag}", "SA");
        var byCompact = await SearchAsync($"WMCPA{tag}", "SB");
        var bothForSb = await SearchAsync($"zafar {tag}", "SB");
        var forSc = await SearchAsync($"zafar {tag}", "SC");
        var forAuditor = await SearchAsync($"zafar {tag}", null);
        var firstPage = await SearchAsync($"zafar {tag}", null, limit: 1);
        var secondPage = await SearchAsync($"zafar {tag}", null, limit: 1, after: new(firstPage[0].Score, firstPage[0].CaseId));

        Assert.Multiple(() =>
        {
            Assert.That(byAlias.Select(r => r.CaseId), Is.EqualTo(new[] { filed.Id }));
            Assert.That(byAlias[0].Matches.Select(m => (m.Field, m.Label, m.Text)), Is.EqualTo(new[] { (SearchField.Name, "person.aliases[0]", $"Mohammed Zafar Chaudhary {tag}") }));
            Assert.That(byAlias[0].Score, Is.EqualTo(SearchIndex.WeightOf(SearchField.Name, NameKind.Alias) + 10), "every word of the alias named");
            Assert.That(byOldAlias.Select(r => r.CaseId), Does.Not.Contain(filed.Id), "the edit replaced the aliases, محسن among them");
            Assert.That(byWarrant.Select(r => r.CaseId), Is.EqualTo(new[] { filed.Id }));
            Assert.That(byWarrant[0].Matches[0].Field, Is.EqualTo(SearchField.Warrant));
            Assert.That(byCompact.Select(r => r.CaseId), Is.EqualTo(new[] { filed.Id }), "the compact form of a reference");
            Assert.That(bothForSb.Select(r => r.CaseId), Is.EquivalentTo(new[] { filed.Id, other.Id }));
            Assert.That(forSc.Select(r => r.CaseId), Is.EqualTo(new[] { other.Id }));
            Assert.That(forAuditor.Select(r => r.CaseId), Is.EquivalentTo(new[] { filed.Id, other.Id }));
            Assert.That(firstPage.Concat(secondPage).Select(r => r.CaseId), Is.EqualTo(forAuditor.Select(r => r.CaseId)), "keyset pages in rank order");
        });
    }

    [Test]
    public async Task The_start_up_step_rebuilds_a_case_s_index_as_the_store_wrote_it_and_then_changes_nothing()
    {
        var tag = Unique();
        var (filed, _) = await FileAsync(CaseFileFor($"عمران {tag}", "SD", "SE"), Now);
        await SaveAsync(filed.Id, c => ProvisionalArrest(c, Now), Now.AddMinutes(1), data: new JsonObject { ["warrantReference"] = $"PA-{tag}" });
        const string Entries = "SELECT Entry, Field, Label, Text, Weight, TokenCount FROM SearchEntries WHERE CaseId = @Id ORDER BY Entry";
        const string Terms = "SELECT Token, Entry FROM SearchTerms WHERE CaseId = @Id ORDER BY Token, Entry";
        var entriesBefore = await QueryAsync<(long, string, string, string, long, long)>(Sql(Entries, Entries.Replace("FROM ", "FROM dbo.")), new { filed.Id });
        var termsBefore = await QueryAsync<(string, long)>(Sql(Terms, Terms.Replace("FROM ", "FROM dbo.")), new { filed.Id });

        await using (var connection = await ConnectionFactory.OpenAsync(Options, CancellationToken.None))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, Sql("DELETE FROM SearchIndexed WHERE CaseId = @Id", "DELETE FROM dbo.SearchIndexed WHERE CaseId = @Id;"), new { filed.Id });
        }

        int indexed, again;
        await using (var session = Open()) indexed = await session.Get<IndexCases>().RunAsync(CancellationToken.None);
        await using (var session = Open()) again = await session.Get<IndexCases>().RunAsync(CancellationToken.None);
        var entriesAfter = await QueryAsync<(long, string, string, string, long, long)>(Sql(Entries, Entries.Replace("FROM ", "FROM dbo.")), new { filed.Id });
        var termsAfter = await QueryAsync<(string, long)>(Sql(Terms, Terms.Replace("FROM ", "FROM dbo.")), new { filed.Id });

        Assert.Multiple(() =>
        {
            Assert.That(indexed, Is.GreaterThanOrEqualTo(1));
            Assert.That(again, Is.Zero, "every case is current");
            Assert.That(entriesBefore.Select(e => e.Item1), Does.Contain((long)SearchIndex.EventEntryBase + 5), "the transition's warrant (event 2)");
            Assert.That(entriesAfter, Is.EqualTo(entriesBefore));
            Assert.That(termsAfter, Is.EqualTo(termsBefore));
            Assert.That(termsBefore.Select(t => t.Item1), Does.Contain("عمران").And.Contain($"pa{tag.ToLowerInvariant()}"));
        });
    }
}
