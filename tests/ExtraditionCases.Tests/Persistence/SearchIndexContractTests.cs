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

    [Test]
    public async Task One_statement_per_table_writes_exactly_the_rows_of_every_entry_and_token_the_index_computes()
    {
        var tag = Unique();
        var file = CaseFileFor($"محمد عمران خان {tag}", "SL", "SM");
        // Urdu, Arabic, Latin and Cyrillic names, a transliteration, characters JSON escapes (quote, backslash) and one
        // outside the Basic Multilingual Plane: each must arrive as the per-row inserts wrote it.
        file = file with
        {
            Person = file.Person with
            {
                Aliases = [Cases.ArabicName, $"Muhammad \"Imran\" O'Khan {tag}", "عمران\\خان", "محسن", "Ali 𠜎 Raza"],
                Names = [.. file.Person.Names, new PersonName { Text = $"Muhammad Imran Khan {tag}", Script = "Latn", Language = "ur-Latn", Kind = NameKind.Transliteration }],
            },
        };
        var (filed, _) = await FileAsync(file, Now);
        var events = await SaveAsync(filed.Id, c => ProvisionalArrest(c, Now), Now.AddMinutes(1), data: new JsonObject { ["warrantReference"] = $"WMC/ب/{tag}" });
        var expectedEntries = SearchIndex.FileEntries(filed.Reference, filed.File)
            .Concat(events.Where(e => e.Type == CaseChange.Transitioned).SelectMany(e => SearchIndex.EventEntries(e.Sequence, e.Trigger, e.Data))).ToList();

        const string Entries = "SELECT Entry, Field, Label, Text, Weight, TokenCount FROM SearchEntries WHERE CaseId = @Id";
        const string Terms = "SELECT Token, Entry, Weight, TokenCount, RequestingState, RequestedState FROM SearchTerms WHERE CaseId = @Id";
        var entries = await QueryAsync<(long Entry, string Field, string Label, string Text, long Weight, long TokenCount)>(Sql(Entries, Entries.Replace("FROM ", "FROM dbo.")), new { filed.Id });
        var terms = await QueryAsync<(string Token, long Entry, long Weight, long TokenCount, string Requesting, string Requested)>(Sql(Terms, Terms.Replace("FROM ", "FROM dbo.")), new { filed.Id });

        // The rows the per-row code wrote: one per entry; one per token of an entry, and the compact form of an identifier unless it is a token.
        var wantEntries = expectedEntries.Select(e => ((long)e.Number, e.Field.ToString(), e.Label, e.Text.Length > 500 ? e.Text[..500] : e.Text, (long)e.Weight, (long)e.Tokens.Count));
        var wantTerms = expectedEntries.SelectMany(e => e.Tokens.Concat(e.Compact is { } c && !e.Tokens.Contains(c) ? [c] : Array.Empty<string>())
            .Select(t => (t, (long)e.Number, (long)e.Weight, (long)e.Tokens.Count, "SL", "SM")));
        Assert.Multiple(() =>
        {
            Assert.That(expectedEntries.Select(e => e.Field), Does.Contain(SearchField.IdentityDocument).And.Contain(SearchField.Warrant).And.Contain(SearchField.Name));
            Assert.That(entries, Is.EquivalentTo(wantEntries));
            Assert.That(terms, Is.EquivalentTo(wantTerms));
            Assert.That(terms.Select(t => t.Token), Does.Contain("عمران").And.Contain(tag.ToLowerInvariant()));
            Assert.That(entries.Select(e => e.Text), Does.Contain($"Muhammad \"Imran\" O'Khan {tag}").And.Contain("Ali 𠜎 Raza").And.Contain("عمران\\خان"));
        });
    }

    [Test]
    public async Task Each_term_carries_its_entry_s_weight_and_token_count_and_its_case_s_states()
    {
        var tag = Unique();
        var (filed, _) = await FileAsync(CaseFileFor($"Imran Akhtar {tag}", "SF", "SG"), Now);
        await SaveAsync(filed.Id, c => ProvisionalArrest(c, Now), Now.AddMinutes(1), data: new JsonObject { ["warrantReference"] = $"PA-{tag}" });
        await SaveAsync(filed.Id, c => c.UpdateFile(c.File with { Person = c.File.Person with { Aliases = [$"Imraan {tag}"] } }, CaseSide.Requesting, Now), Now.AddMinutes(2));
        const string Check = """
            SELECT t.Token, t.Entry, t.Weight, e.Weight AS EntryWeight, t.TokenCount, e.TokenCount AS EntryTokenCount,
                   t.RequestingState, c.RequestingState AS CaseRequesting, t.RequestedState, c.RequestedState AS CaseRequested
            FROM SearchTerms t JOIN SearchEntries e ON e.CaseId = t.CaseId AND e.Entry = t.Entry JOIN Cases c ON c.Id = t.CaseId
            WHERE t.CaseId = @Id
            """;
        var rows = await QueryAsync<(string Token, long Entry, long Weight, long EntryWeight, long TokenCount, long EntryTokenCount, string Requesting, string CaseRequesting, string Requested, string CaseRequested)>(
            Sql(Check, Check.Replace("FROM SearchTerms", "FROM dbo.SearchTerms").Replace("JOIN SearchEntries", "JOIN dbo.SearchEntries").Replace("JOIN Cases", "JOIN dbo.Cases")), new { filed.Id });
        var orphans = await QueryAsync<long>(Sql(
            "SELECT COUNT(*) FROM SearchTerms t WHERE t.CaseId = @Id AND NOT EXISTS (SELECT 1 FROM SearchEntries e WHERE e.CaseId = t.CaseId AND e.Entry = t.Entry)",
            "SELECT COUNT(*) FROM dbo.SearchTerms t WHERE t.CaseId = @Id AND NOT EXISTS (SELECT 1 FROM dbo.SearchEntries e WHERE e.CaseId = t.CaseId AND e.Entry = t.Entry)"), new { filed.Id });

        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r.Entry), Does.Contain((long)SearchIndex.EventEntryBase + 5), "the transition's warrant, written before the edit");
            Assert.That(rows.Select(r => r.Token), Does.Contain("imraan").Or.Contain("imran"), "the edited alias");
            Assert.That(rows.Where(r => r.Weight != r.EntryWeight || r.TokenCount != r.EntryTokenCount), Is.Empty);
            Assert.That(rows.Where(r => r.Requesting != r.CaseRequesting || r.Requested != r.CaseRequested), Is.Empty);
            Assert.That(rows.Select(r => (r.Requesting, r.Requested)).Distinct(), Is.EqualTo(new[] { ("SF", "SG") }));
            Assert.That(orphans, Is.EqualTo(new[] { 0L }));
        });
    }

    [Test]
    public async Task Ranking_stops_after_the_cap_best_weight_first_and_says_the_answer_is_truncated()
    {
        var tag = Unique();
        var token = tag.ToLowerInvariant();
        var (crowded, _) = await FileAsync(CaseFileFor("Usman Ghani", "SH", "SJ"), Now);
        var (best, _) = await FileAsync(CaseFileFor($"Bilal {tag}", "SH", "SJ"), Now);
        // More statute entries (weight 20) of one word than the cap ranks, all on one case, written as the store writes them.
        await using (var connection = await ConnectionFactory.OpenAsync(Options, CancellationToken.None))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var entries = Enumerable.Range(0, SearchCases.Sql.RankCap + 1).Select(i => new
            {
                Entry = 500_000 + i, Field = "Statute", Label = $"offences[{i}].statute", Text = $"{tag} s.{i}",
                Weight = SearchIndex.WeightOf(SearchField.Statute), TokenCount = 2, Token = token,
            }).ToList();
            var rows = System.Text.Json.JsonSerializer.Serialize(entries);
            await Dapper.SqlMapper.ExecuteAsync(connection, Sql(SearchIndex.Sql.InsertEntries.Sqlite, SearchIndex.Sql.InsertEntries.SqlServer),
                new { CaseId = crowded.Id, Rows = rows }, transaction);
            await Dapper.SqlMapper.ExecuteAsync(connection, Sql(SearchIndex.Sql.InsertTerms.Sqlite, SearchIndex.Sql.InsertTerms.SqlServer),
                new { CaseId = crowded.Id, RequestingState = "SH", RequestedState = "SJ", Rows = rows }, transaction);
            await transaction.CommitAsync();
        }

        async Task<SearchCases.SearchPage> PageAsync(string q, string country, int limit, SearchCases.Position? after = null)
        {
            await using var session = Open();
            var caller = new Caller($"officer-1-{country}", Caller.Officer, country, null, "https://idp.test");
            return await new SearchCases.Handler(session.Get<IDatabaseSession>()).Handle(new SearchCases.Query(caller, q, limit, after), CancellationToken.None);
        }

        var all = await PageAsync(tag, "SH", 10);
        var first = await PageAsync(tag, "SH", 1);
        var second = await PageAsync(tag, "SH", 1, new(first.Items[0].Score, first.Items[0].CaseId));
        var narrow = await PageAsync($"bilal {tag}", "SH", 10);
        var notVisible = await PageAsync(tag, "SK", 10);

        Assert.Multiple(() =>
        {
            Assert.That(all.Truncated, Is.True, "more entries matched than were ranked");
            Assert.That(all.Items.Select(r => r.CaseId), Is.EqualTo(new[] { best.Id, crowded.Id }), "the best-weighted entries are ranked first, so the name still wins");
            Assert.That(all.Items[0].Matches.Select(m => m.Field), Is.EqualTo(new[] { SearchField.Name }));
            Assert.That(first.Items.Concat(second.Items).Select(r => r.CaseId), Is.EqualTo(all.Items.Select(r => r.CaseId)), "pages of a truncated answer stay consistent");
            Assert.That(narrow.Truncated, Is.False);
            Assert.That(narrow.Items.Select(r => r.CaseId), Is.EqualTo(new[] { best.Id }));
            Assert.That(notVisible.Items, Is.Empty);
            Assert.That(notVisible.Truncated, Is.False, "only entries the caller may see count towards the cap");
        });
    }
}
