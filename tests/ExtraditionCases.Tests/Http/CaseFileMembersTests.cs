using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// The whole case file (shared/domain/extradition-workflow.md, "What a case file holds"): every member
/// validated and editable by merge patch, and the requested state's own process recorded by its officers only.
/// </summary>
public sealed class CaseFileMembersTests
{
    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory();

    [TearDown]
    public void StopService() => _api.Dispose();

    private static JsonObject WholeFile()
    {
        var body = Cases.NewCase("PK", "GB");
        var person = body["person"]!.AsObject();
        person["placeOfBirth"] = "لاہور";
        person["names"] = new JsonArray(
            new JsonObject { ["text"] = Cases.UrduName, ["script"] = "Arab", ["language"] = "ur", ["kind"] = "Primary" },
            new JsonObject { ["text"] = "Mohsin Ali", ["script"] = "Latn", ["language"] = "ur-Latn", ["kind"] = "Transliteration" });
        person["identityDocuments"] = new JsonArray(
            new JsonObject { ["kind"] = "NationalIdentityCard", ["number"] = "35202-1234567-1", ["issuingCountry"] = "PK", ["expiresOn"] = "2031-01-01" });
        person["lastKnownLocation"] = new JsonObject { ["place"] = "Bradford", ["country"] = "GB", ["asOf"] = "2026-07-01" };
        var offence = body["offences"]![0]!.AsObject();
        offence["conduct"] = "Moved PKR 900 million through shell companies.\nSee the request, part 3.";
        offence["place"] = "Lahore";
        offence["committedFrom"] = "2024-01-01";
        offence["committedTo"] = "2025-06-30";
        body["assurances"] = new JsonArray(new JsonObject
        {
            ["kind"] = "Speciality", ["reference"] = "MOI-ASSUR-7", ["givenOn"] = "2026-07-20", ["givenBy"] = "Ministry of Interior",
        });
        return body;
    }

    private static JsonObject RequestedStateFacts() => new()
    {
        ["person"] = new JsonObject { ["custody"] = new JsonObject { ["status"] = "InCustody", ["since"] = "2026-11-19", ["place"] = "HMP Wandsworth" } },
        ["domesticWarrants"] = new JsonArray(new JsonObject
        {
            ["kind"] = "Section73", ["reference"] = "WMC-73-1", ["issuedBy"] = "Westminster Magistrates' Court", ["issuedOn"] = "2026-11-18",
        }),
        ["hearings"] = new JsonArray(new JsonObject
        {
            ["court"] = "Westminster Magistrates' Court", ["at"] = "2026-11-19T10:00:00Z", ["purpose"] = "Initial hearing", ["outcome"] = "Remanded in custody",
        }),
        ["domesticProceedings"] = new JsonArray(new JsonObject { ["kind"] = "Charge", ["description"] = "Possession of a false identity document" }),
        ["surrender"] = new JsonObject { ["place"] = "Heathrow", ["escort"] = "NCA" },
    };

    [Test]
    public async Task The_whole_case_file_is_filed_and_read_back()
    {
        var pk = _api.ClientFor(Tokens.Officer("PK"));
        var filed = await Cases.FileAsync(pk, WholeFile());
        var read = await (await pk.GetAsync($"/api/v1/cases/{filed["id"]}")).ReadObjectAsync();

        var person = read["person"]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)person["names"]![0]!["script"], Is.EqualTo("Arab"));
            Assert.That((string?)person["names"]![1]!["kind"], Is.EqualTo("Transliteration"));
            Assert.That((string?)person["identityDocuments"]![0]!["number"], Is.EqualTo("35202-1234567-1"));
            Assert.That((string?)person["identityDocuments"]![0]!["expiresOn"], Is.EqualTo("2031-01-01"));
            Assert.That((string?)person["lastKnownLocation"]!["place"], Is.EqualTo("Bradford"));
            Assert.That(person["custody"], Is.Null);
            Assert.That((string?)read["offences"]![0]!["committedTo"], Is.EqualTo("2025-06-30"));
            Assert.That((string?)read["offences"]![0]!["conduct"], Does.Contain("shell companies"));
            Assert.That((string?)read["assurances"]![0]!["kind"], Is.EqualTo("Speciality"));
            Assert.That(read["hearings"]!.AsArray(), Is.Empty);
            Assert.That(read["surrender"], Is.Null);
        });
    }

    [Test]
    public async Task The_requested_states_officers_record_its_process_and_the_change_names_each_path()
    {
        var c = await CaseDriver.FileAsync(_api, WholeFile());

        var response = await c.PatchAsync("GB", RequestedStateFacts());
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var view = await response.ReadObjectAsync();
        var history = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history");
        var paths = history!["events"]![1]!["data"]!["changes"]!.AsArray().Select(ch => (string)ch!["path"]!).ToList();

        Assert.Multiple(() =>
        {
            Assert.That((string?)view["person"]!["custody"]!["status"], Is.EqualTo("InCustody"));
            Assert.That((string?)view["hearings"]![0]!["at"], Is.EqualTo("2026-11-19T10:00:00.000Z"));
            Assert.That((string?)view["domesticWarrants"]![0]!["kind"], Is.EqualTo("Section73"));
            Assert.That((string?)view["domesticProceedings"]![0]!["kind"], Is.EqualTo("Charge"));
            Assert.That((string?)view["surrender"]!["escort"], Is.EqualTo("NCA"));
            Assert.That(paths, Does.Contain("/person/custody").And.Contain("/hearings/0").And.Contain("/domesticWarrants/0")
                .And.Contain("/domesticProceedings/0").And.Contain("/surrender"));
        });
    }

    [TestCase("person", "custody")]
    [TestCase("domesticWarrants", null)]
    [TestCase("hearings", null)]
    [TestCase("domesticProceedings", null)]
    [TestCase("surrender", null)]
    public async Task The_requesting_states_officers_may_not_record_the_requested_states_process(string member, string? inner)
    {
        var c = await CaseDriver.FileAsync(_api, WholeFile());
        var facts = RequestedStateFacts();
        var patch = new JsonObject { [member] = inner is null ? facts[member]!.DeepClone() : new JsonObject { [inner] = facts[member]![inner]!.DeepClone() } };

        var byRequesting = await c.PatchAsync("PK", patch);
        var filedWithIt = await _api.ClientFor(Tokens.Officer("PK")).PostAsync("/api/v1/cases", Cases.Json(Merge(WholeFile(), patch)));

        Assert.Multiple(async () =>
        {
            Assert.That((int)byRequesting.StatusCode, Is.EqualTo(403));
            Assert.That((string?)(await byRequesting.ReadObjectAsync())["detail"], Does.Contain(inner ?? member));
            Assert.That((int)filedWithIt.StatusCode, Is.EqualTo(403));
        });
    }

    [Test]
    public async Task The_requested_state_may_file_its_process_with_the_case_and_the_requesting_state_may_edit_the_rest()
    {
        var gbFiled = await _api.ClientFor(Tokens.Officer("GB")).PostAsync("/api/v1/cases", Cases.Json(Merge(WholeFile(), RequestedStateFacts())));
        Assert.That((int)gbFiled.StatusCode, Is.EqualTo(201), await gbFiled.Content.ReadAsStringAsync());
        var c = new CaseDriver(_api, (string)(await gbFiled.ReadObjectAsync())["id"]!, gbFiled.Headers.ETag!.Tag);

        var response = await c.PatchAsync("PK", new JsonObject
        {
            ["assurances"] = new JsonArray(new JsonObject { ["kind"] = "DeathPenalty", ["reference"] = "MOI-DP-1", ["givenOn"] = "2026-11-01" }),
            ["person"] = new JsonObject { ["lastKnownLocation"] = new JsonObject { ["place"] = "Leeds" } },
        });

        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        Assert.That((string?)(await response.ReadObjectAsync())["person"]!["custody"]!["status"], Is.EqualTo("InCustody"), "kept as the requested state recorded it");
    }

    [TestCase("person", "names", """[{"text":"Ali","script":"latin"}]""", "person.names[0].script")]
    [TestCase("person", "names", """[{"text":" ","script":"Latn"}]""", "person.names[0].text")]
    [TestCase("person", "names", """[{"text":"Ali","script":"Latn","language":"english language"}]""", "person.names[0].language")]
    [TestCase("person", "names", """[{"text":"Ali","script":"Latn","kind":"Nickname"}]""", "person.names[0].kind")]
    [TestCase("person", "identityDocuments", """[{"kind":"NationalIdentityCard","number":"3520212345","issuingCountry":"PK"}]""", "person.identityDocuments[0].number")]
    [TestCase("person", "identityDocuments", """[{"kind":"Passport","number":"AB<123>","issuingCountry":"PK"}]""", "person.identityDocuments[0].number")]
    [TestCase("person", "identityDocuments", """[{"kind":"Passport","number":"AB123","issuingCountry":"pk"}]""", "person.identityDocuments[0].issuingCountry")]
    [TestCase("person", "identityDocuments", """[{"kind":"IdCard","number":"AB123","issuingCountry":"PK"}]""", "person.identityDocuments[0].kind")]
    [TestCase("person", "lastKnownLocation", """{"place":"Leeds","asOf":"2027-01-01"}""", "person.lastKnownLocation.asOf")]
    [TestCase("person", "custody", """{"status":"Detained"}""", "person.custody.status")]
    [TestCase("person", "custody", """{"status":"OnBail","since":"2026-11-21"}""", "person.custody.since")]
    [TestCase(null, "assurances", """[{"kind":"DeathPenalty","reference":"","givenOn":"2026-01-01"}]""", "assurances[0].reference")]
    [TestCase(null, "assurances", """[{"kind":"DeathPenalty","reference":"A-1","givenOn":"2026-12-01"}]""", "assurances[0].givenOn")]
    [TestCase(null, "hearings", """[{"court":"WMC","at":"2026-12-01T10:00:00Z","outcome":"Adjourned"}]""", "hearings[0].outcome")]
    [TestCase(null, "hearings", """[{"court":"WMC","at":"next week"}]""", "hearings[0].at")]
    [TestCase(null, "domesticWarrants", """[{"kind":"Section71","reference":"W-1","issuedOn":"2026-13-01"}]""", "domesticWarrants[0].issuedOn")]
    [TestCase(null, "domesticProceedings", """[{"kind":"Charge"}]""", "domesticProceedings[0].description")]
    [TestCase(null, "surrender", """{"scheduledFor":"tomorrow"}""", "surrender.scheduledFor")]
    public async Task A_bad_member_is_400_naming_it(string? parent, string member, string value, string named)
    {
        var c = await CaseDriver.FileAsync(_api, WholeFile());
        var node = JsonNode.Parse(value)!;
        var patch = parent is null ? new JsonObject { [member] = node } : new JsonObject { [parent] = new JsonObject { [member] = node } };

        var response = await c.PatchAsync("GB", patch);
        var problem = await response.ReadObjectAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(400), problem.ToJsonString());
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain(named), problem.ToJsonString());
    }

    [Test]
    public async Task An_offence_cannot_end_before_it_began_nor_in_the_future()
    {
        var body = WholeFile();
        body["offences"]![0]!["committedFrom"] = "2025-07-01";
        body["offences"]![0]!["committedTo"] = "2025-06-30";
        var backwards = await _api.ClientFor(Tokens.Officer("PK")).PostAsync("/api/v1/cases", Cases.Json(body));
        body["offences"]![0]!["committedFrom"] = "2026-12-01";
        body["offences"]![0]!["committedTo"] = null;
        var future = await _api.ClientFor(Tokens.Officer("PK")).PostAsync("/api/v1/cases", Cases.Json(body));

        Assert.Multiple(async () =>
        {
            Assert.That((int)backwards.StatusCode, Is.EqualTo(400));
            Assert.That((await backwards.ReadObjectAsync())["errors"]!.AsObject().Select(e => e.Key), Does.Contain("offences[0].committedTo"));
            Assert.That((int)future.StatusCode, Is.EqualTo(400));
            Assert.That((await future.ReadObjectAsync())["errors"]!.AsObject().Select(e => e.Key), Does.Contain("offences[0].committedFrom"));
        });
    }

    [Test]
    public async Task The_search_fixture_files_and_reads_back_every_name_and_document_number_exactly()
    {
        foreach (var entry in SearchFixture.People)
        {
            var officer = _api.ClientFor(Tokens.Officer(entry.Requesting));
            var filed = await Cases.FileAsync(officer, SearchFixture.CaseFor(entry));
            var read = await (await officer.GetAsync($"/api/v1/cases/{filed["id"]}")).ReadObjectAsync();

            Assert.Multiple(() =>
            {
                Assert.That(read["person"]!["names"]!.AsArray().Select(n => ((string)n!["text"]!, (string)n["script"]!)),
                    Is.EqualTo(entry.Names.Select(n => (n.Text, n.Script))), entry.FullName);
                Assert.That(read["person"]!["identityDocuments"]!.AsArray().Select(d => (string)d!["number"]!),
                    Is.EqualTo(entry.Documents.Select(d => d.Number)), entry.FullName);
            });
        }

        Assert.That(SearchFixture.People.SelectMany(p => p.Names).Select(n => n.Script).Distinct(), Is.SupersetOf(new[] { "Arab", "Latn", "Cyrl", "Deva", "Hans" }));
    }

    private static JsonObject Merge(JsonObject body, JsonObject patch) =>
        (JsonObject)Application.Features.Cases.PatchCase.Merge(body, patch)!;
}
