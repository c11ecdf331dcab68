using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// Search (issue 14) over the search fixture: names across Urdu, Arabic, Devanagari and Latin spellings,
/// word order and partial names, identity-document numbers with and without separators, references,
/// statutes; names that are close but different must not match; each caller sees only their cases.
/// </summary>
public sealed class SearchTests
{
    private ApiFactory _api = null!;
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);

    [OneTimeSetUp]
    public async Task FileTheFixture()
    {
        _api = new ApiFactory();
        foreach (var entry in SearchFixture.People)
        {
            var filed = await Cases.FileAsync(_api.ClientFor(Tokens.Officer(entry.Requesting)), SearchFixture.CaseFor(entry));
            _ids[entry.Requesting == "AE" ? "AE:" + entry.FullName : entry.FullName] = (string)filed["id"]!;
        }
    }

    [OneTimeTearDown]
    public void StopService() => _api.Dispose();

    private string Id(string fullName) => _ids[fullName];

    private async Task<JsonObject> SearchAsync(string q, string? token = null, string? extra = null)
    {
        var response = await _api.ClientFor(token ?? Tokens.Officer("PK")).GetAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}{extra}");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{q}: {await response.Content.ReadAsStringAsync()}");
        return await response.ReadObjectAsync();
    }

    private async Task<List<string>> FoundAsync(string q, string? token = null) =>
        [.. (await SearchAsync(q, token))["items"]!.AsArray().Select(i => (string)i!["caseId"]!)];

    [Test]
    public async Task The_issue_s_caller_finds_Zafar_Iqbal_Chaudhry_by_any_recorded_spelling_and_not_Zafar_Iqbal_Qureshi()
    {
        var chaudhry = Id("ظفر اقبال چوہدری");
        var qureshi = Id("ظفر اقبال قریشی");

        Assert.Multiple(async () =>
        {
            Assert.That(await FoundAsync("Muhammad Zafar Iqbal"), Is.EqualTo(new[] { chaudhry }), "Mohd. is Muhammad in the variant table");
            Assert.That(await FoundAsync("Zafar Chaudhry"), Is.EqualTo(new[] { chaudhry }), "partial name; Qureshi is another person");
            Assert.That(await FoundAsync("chaudhary ZAFAR"), Is.EqualTo(new[] { chaudhry }), "word order and case");
            Assert.That(await FoundAsync("Choudhry"), Is.EqualTo(new[] { chaudhry }));
            Assert.That(await FoundAsync("چوہدری ظفر"), Is.EqualTo(new[] { chaudhry }), "Urdu, either order");
            Assert.That(await FoundAsync("ظفر اقبال چوهدري"), Is.EqualTo(new[] { chaudhry }), "Arabic ه and ي for Urdu ہ and ی");
            Assert.That(await FoundAsync("Zafar Iqbaal"), Is.EquivalentTo(new[] { chaudhry, qureshi }), "both are Zafar Iqbal");
            Assert.That(await FoundAsync("Zafar Qureshi"), Is.EqualTo(new[] { qureshi }));
            Assert.That(await FoundAsync("Zafar Iqbal Khan"), Is.Empty, "every word must be a word of the same name");
            Assert.That(await FoundAsync("Zafar Bibi"), Is.Empty, "words of two different people's names do not add up");
        });
    }

    [Test]
    public async Task Arabic_script_is_folded_and_harakat_tatweel_and_hamza_forms_do_not_matter()
    {
        var imran = Id("محمد عمران خان");
        var fatima = Id("فاطمة الزهراء يوسف");
        var aisha = Id("عائشہ بی بی");

        Assert.Multiple(async () =>
        {
            Assert.That(await FoundAsync("مُحَمَّد عمـــران"), Is.EqualTo(new[] { imran }), "harakat and tatweel removed");
            Assert.That(await FoundAsync("خان محمد"), Is.EqualTo(new[] { imran }));
            Assert.That(await FoundAsync("فاطمہ الزہراء"), Is.EqualTo(new[] { fatima }), "Urdu ہ meets Arabic ة and ه");
            Assert.That(await FoundAsync("یوسف"), Is.EqualTo(new[] { fatima }), "Urdu ی meets Arabic ي");
            Assert.That(await FoundAsync("عائشه"), Is.EqualTo(new[] { aisha }), "ئ reads as ي, ه as ہ");
            Assert.That(await FoundAsync("ﻋﻤﺮﺍﻥ"), Is.EqualTo(new[] { imran }), "presentation forms by NFKC");
        });
    }

    [Test]
    public async Task Latin_variants_meet_through_the_table_and_different_names_stay_apart()
    {
        var imran = Id("محمد عمران خان");
        var rajesh = Id("राजेश कुमार");
        var rakesh = Id("राकेश कुमार");
        var fatima = Id("فاطمة الزهراء يوسف");

        Assert.Multiple(async () =>
        {
            Assert.That(await FoundAsync("Mohammed Imran"), Is.EqualTo(new[] { imran }));
            Assert.That(await FoundAsync("MUHAMMED  imraan khan"), Is.EqualTo(new[] { imran }));
            Assert.That(await FoundAsync("Aisha"), Is.EqualTo(new[] { Id("عائشہ بی بی") }));
            Assert.That(await FoundAsync("Fatima Yusuf"), Is.EqualTo(new[] { fatima }), "Fatimah/Fatima, Yousef/Yusuf; Al-Zahra need not be named");
            Assert.That(await FoundAsync("Rajesh Kumar"), Is.EqualTo(new[] { rajesh }), "Soundex gives Rakesh the same key; we do not");
            Assert.That(await FoundAsync("Rakesh"), Is.EqualTo(new[] { rakesh }));
            Assert.That(await FoundAsync("राजेश"), Is.EqualTo(new[] { rajesh }), "Devanagari vowel signs are kept");
            Assert.That(await FoundAsync("Kumar"), Is.EquivalentTo(new[] { rajesh, rakesh }));
            Assert.That(await FoundAsync("Imran Qureshi"), Is.Empty);
            Assert.That(await FoundAsync("Hamid"), Is.Empty);
            Assert.That(await FoundAsync("Dmitri Ivanov"), Is.EqualTo(new[] { Id("Дмитрий Иванов") }));
            Assert.That(await FoundAsync("o'neill"), Is.EqualTo(new[] { Id("John O'Neill") }), "apostrophes join the word");
            Assert.That(await FoundAsync("ONeill John"), Is.EqualTo(new[] { Id("John O'Neill") }));
        });
    }

    [Test]
    public async Task Numbers_references_and_statutes_match_and_say_which_field_matched()
    {
        var imran = Id("محمد عمران خان");
        var reference = (string)(await (await _api.ClientFor(Tokens.Officer("PK")).GetAsync($"/api/v1/cases/{imran}")).ReadObjectAsync())["reference"]!;

        var cnicPlain = await SearchAsync("3520212345671");
        var cnicDashed = await FoundAsync("35202-1234567-1");
        var cnicSpaced = await FoundAsync("35202 1234567 1");
        var passport = await SearchAsync("ab1234567");
        var byReference = await SearchAsync(reference.ToLowerInvariant());
        var aadhaar = await FoundAsync("1234 5678 9012");

        Assert.Multiple(() =>
        {
            var first = cnicPlain["items"]![0]!;
            Assert.That((string)first["caseId"]!, Is.EqualTo(imran));
            Assert.That((string)first["matches"]![0]!["field"]!, Is.EqualTo("IdentityDocument"));
            Assert.That((string)first["matches"]![0]!["text"]!, Is.EqualTo("35202-1234567-1"), "the number as recorded");
            Assert.That((string)first["matches"]![0]!["label"]!, Does.StartWith("person.identityDocuments[0]"));
            Assert.That(cnicDashed, Is.EqualTo(new[] { imran }));
            Assert.That(cnicSpaced, Is.EqualTo(new[] { imran }));
            Assert.That(passport["items"]!.AsArray().Select(i => (string)i!["caseId"]!), Is.EqualTo(new[] { imran }));
            Assert.That(byReference["items"]!.AsArray().Select(i => (string)i!["caseId"]!), Is.EqualTo(new[] { imran }));
            Assert.That((string)byReference["items"]![0]!["matches"]![0]!["field"]!, Is.EqualTo("Reference"));
            Assert.That(aadhaar, Is.EqualTo(new[] { Id("राजेश कुमार") }), "part of a number written in words matches the words");
        });
    }

    [Test]
    public async Task Each_caller_sees_only_the_cases_they_may_and_partners_may_not_search()
    {
        var pkCase = Id("ظفر اقبال چوہدری");
        var aeCase = Id("AE:Zafar Iqbal Chaudhary");

        var pk = await FoundAsync("Zafar Chaudhry", Tokens.Officer("PK"));
        var gb = await FoundAsync("Zafar Chaudhry", Tokens.Officer("GB"));
        var ae = await FoundAsync("Zafar Chaudhry", Tokens.Officer("AE"));
        var auditor = await FoundAsync("Zafar Chaudhry", Tokens.Auditor());
        var samePassportForPk = await FoundAsync("AK7654321", Tokens.Officer("PK"));
        var samePassportForGb = await FoundAsync("AK7654321", Tokens.Officer("GB"));
        var partner = await _api.ClientFor(Tokens.Partner("PK")).GetAsync("/api/v1/search?q=Zafar");

        Assert.Multiple(() =>
        {
            Assert.That(pk, Is.EqualTo(new[] { pkCase }));
            Assert.That(gb, Is.EquivalentTo(new[] { pkCase, aeCase }), "the requested state of both");
            Assert.That(ae, Is.EqualTo(new[] { aeCase }));
            Assert.That(auditor, Is.EquivalentTo(new[] { pkCase, aeCase }));
            Assert.That(samePassportForPk, Is.EqualTo(new[] { pkCase }));
            Assert.That(samePassportForGb, Is.EquivalentTo(new[] { pkCase, aeCase }));
            Assert.That((int)partner.StatusCode, Is.EqualTo(403));
        });
    }

    [Test]
    public async Task Results_are_ranked_and_paged_without_repeats()
    {
        var all = await SearchAsync("Anti-Money Laundering Act", Tokens.Auditor(), "&limit=100");
        var pages = new List<string>();
        string? cursor = null;
        var guard = 0;
        do
        {
            var page = await SearchAsync("Anti-Money Laundering Act", Tokens.Auditor(), "&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            pages.AddRange(page["items"]!.AsArray().Select(i => (string)i!["caseId"]!));
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null && ++guard < 50);
        var exact = await SearchAsync("Zafar Iqbal Chaudhry", Tokens.Officer("GB"));
        var scores = exact["items"]!.AsArray().Select(i => (int)i!["score"]!).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(all["items"]!.AsArray(), Has.Count.EqualTo(SearchFixture.People.Count), "the statute of every fixture case");
            Assert.That(all["items"]![0]!["matches"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("Statute"));
            Assert.That(pages, Is.EqualTo(all["items"]!.AsArray().Select(i => (string)i!["caseId"]!)), "pages walk the same order, no gaps or repeats");
            Assert.That(scores, Is.Ordered.Descending);
            // A primary name named whole ranks above an alias named whole; within a case, each matching entry is listed, best first.
            Assert.That(exact["items"]!.AsArray().Select(i => (string)i!["caseId"]!), Is.EqualTo(new[] { Id("AE:Zafar Iqbal Chaudhary"), Id("ظفر اقبال چوہدری") }));
            Assert.That(exact["items"]![1]!["matches"]!.AsArray().Select(m => (string)m!["text"]!), Is.EqualTo(new[] { "Zafar Iqbal Chaudhry", "Mohd. Zafar Iqbal Choudhry" }));
        });
    }

    [Test]
    public async Task The_index_follows_edits_and_transition_references()
    {
        var body = Cases.NewCase("PK", "GB", "Tariq Mehmood");
        body["offences"]![0]!["statute"] = "Pakistan Penal Code s.420"; // out of the statute search's fixture
        var c = await CaseDriver.FileAsync(_api, body);
        var patched = await c.PatchAsync("PK", new JsonObject { ["person"] = new JsonObject { ["aliases"] = new JsonArray("Tariq Butt") } });
        Assert.That((int)patched.StatusCode, Is.EqualTo(200), await patched.Content.ReadAsStringAsync());
        c.Keep(patched);
        await c.FireAsync("GB", "ProvisionalArrest", new JsonObject { ["warrantReference"] = "WMC/PA/2026/0042", ["court"] = "Westminster Magistrates' Court" });

        var byNewAlias = await FoundAsync("Butt Tareq", Tokens.Officer("GB"));
        var byOldAlias = await FoundAsync("Mohsin Ali", Tokens.Officer("GB"));
        var byWarrant = await SearchAsync("WMC PA 2026 0042", Tokens.Officer("GB"));

        Assert.Multiple(() =>
        {
            Assert.That(byNewAlias, Is.EqualTo(new[] { c.Id }), "Tareq is Tariq");
            Assert.That(byOldAlias, Is.Empty);
            Assert.That(byWarrant["items"]!.AsArray().Select(i => (string)i!["caseId"]!), Is.EqualTo(new[] { c.Id }));
            Assert.That((string)byWarrant["items"]![0]!["matches"]![0]!["label"]!, Does.StartWith("ProvisionalArrest warrantReference"));
        });
    }

    [TestCase("q=", TestName = "Empty query")]
    [TestCase("", TestName = "No query")]
    [TestCase("q=---%20%27%20..", TestName = "Nothing left after normalisation")]
    [TestCase("q=%D9%8E%D9%8F%D9%80", TestName = "Only harakat and tatweel")]
    [TestCase("q=Zafar%07Iqbal", TestName = "Control character")]
    [TestCase("q=Zafar%0AIqbal", TestName = "Line feed")]
    [TestCase("q=Zafar&limit=0", TestName = "Limit out of range")]
    [TestCase("q=Zafar&cursor=bm9wZQ", TestName = "Malformed cursor")]
    public async Task Bad_queries_are_400_problems(string queryString)
    {
        var response = await _api.ClientFor(Tokens.Officer("PK")).GetAsync($"/api/v1/search?{queryString}");
        Assert.That((int)response.StatusCode, Is.EqualTo(400), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task A_query_of_200_characters_is_searched_and_201_is_400()
    {
        var at = new string('z', 200);
        var over = new string('z', 201);
        var ok = await _api.ClientFor(Tokens.Officer("PK")).GetAsync($"/api/v1/search?q={at}");
        var tooLong = await _api.ClientFor(Tokens.Officer("PK")).GetAsync($"/api/v1/search?q={over}");
        var urduOver = await _api.ClientFor(Tokens.Officer("PK")).GetAsync($"/api/v1/search?q={Uri.EscapeDataString(string.Concat(Enumerable.Repeat("ظفر ", 51)))}");

        Assert.Multiple(() =>
        {
            Assert.That((int)ok.StatusCode, Is.EqualTo(200));
            Assert.That((int)tooLong.StatusCode, Is.EqualTo(400));
            Assert.That((int)urduOver.StatusCode, Is.EqualTo(400), "204 characters of Urdu");
        });
    }
}
