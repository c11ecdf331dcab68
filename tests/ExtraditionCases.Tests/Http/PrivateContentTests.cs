using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// What stays with one state (issue 13): an asylum claim, health notes, counsel and legal aid, and private
/// notes and documents are seen only by the recording state's officers and auditors; the shared chain
/// carries a salted commitment, never the content, and erasing the content leaves every chain valid.
/// </summary>
public sealed class PrivateContentTests
{
    private const string ClaimReference = "HO-ASY-2026-4471";

    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory();

    [TearDown]
    public void StopService() => _api.Dispose();

    private HttpClient Pk => _api.ClientFor(Tokens.Officer("PK"));
    private HttpClient Gb => _api.ClientFor(Tokens.Officer("GB"));

    private static JsonObject PrivatePatch() => new()
    {
        ["person"] = new JsonObject
        {
            ["asylumClaim"] = new JsonObject { ["lodgedOn"] = "2026-11-01", ["reference"] = ClaimReference, ["status"] = "Pending" },
            ["healthNotes"] = "Insulin-dependent diabetes; medication in custody.",
        },
        ["counsel"] = new JsonArray(new JsonObject { ["name"] = "Jane Doe KC", ["firm"] = "Doughty Street Chambers", ["actingFor"] = "Person" }),
        ["legalAid"] = new JsonObject { ["granted"] = true, ["reference"] = "LAA-99", ["grantedOn"] = "2026-11-02" },
    };

    [Test]
    public async Task The_requested_states_private_file_is_its_own_and_the_chain_holds_only_commitments()
    {
        var c = await CaseDriver.FileAsync(_api);

        var response = await c.PatchAsync("GB", PrivatePatch());
        var gbView = await response.ReadObjectAsync();
        var pkView = await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}");
        var gbRead = await Gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}");
        var gbAuditor = await _api.ClientFor(Tokens.Auditor("GB")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}");
        var pkAuditor = await _api.ClientFor(Tokens.Auditor("PK")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}");
        var historyText = await Pk.GetStringAsync($"/api/v1/cases/{c.Id}/history");
        var feed = await _api.ClientFor(Tokens.Partner("PK")).GetStringAsync("/api/v1/changes");
        var verify = await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history/verify");
        var updated = JsonNode.Parse(historyText)!["events"]!.AsArray().Last()!;

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200), gbView.ToJsonString());
            Assert.That((string?)gbView["private"]!["asylumClaim"]!["reference"], Is.EqualTo(ClaimReference));
            Assert.That((string?)gbRead!["private"]!["counsel"]![0]!["name"], Is.EqualTo("Jane Doe KC"));
            Assert.That((bool?)gbRead["private"]!["legalAid"]!["granted"], Is.True);
            Assert.That((string?)gbAuditor!["private"]!["healthNotes"], Does.Contain("diabetes"));

            Assert.That((string?)pkView!["private"]!["country"], Is.EqualTo("PK"));
            Assert.That(pkView["private"]!["asylumClaim"], Is.Null);
            Assert.That(pkAuditor!["private"]!["asylumClaim"], Is.Null);
            Assert.That(pkView.ToJsonString(), Does.Not.Contain(ClaimReference).And.Not.Contain("diabetes"));

            Assert.That(historyText, Does.Not.Contain(ClaimReference).And.Not.Contain("diabetes").And.Not.Contain("asylum").And.Not.Contain("Jane Doe"));
            Assert.That(updated["data"]!["changes"]!.AsArray(), Is.Empty, "nothing shared changed");
            Assert.That(updated["data"]!["private"]!.AsArray(), Has.Count.EqualTo(4));
            Assert.That(updated["data"]!["private"]!.AsArray().Select(p => ((string)p!["commitment"]!).Length), Has.All.EqualTo(64));
            Assert.That((bool)verify!["valid"]!, Is.True);
            Assert.That(feed, Does.Not.Contain(ClaimReference));
        });
    }

    [Test]
    public async Task Counsel_and_legal_aid_are_the_requested_states_to_record_and_each_state_keeps_its_own_health_notes()
    {
        var c = await CaseDriver.FileAsync(_api);

        var counsel = await c.PatchAsync("PK", new JsonObject { ["counsel"] = PrivatePatch()["counsel"]!.DeepClone() });
        var legalAid = await c.PatchAsync("PK", new JsonObject { ["legalAid"] = PrivatePatch()["legalAid"]!.DeepClone() });
        var pkNotes = await c.PatchAsync("PK", new JsonObject { ["person"] = new JsonObject { ["healthNotes"] = "Reported heart condition (PK file)." } });
        await c.PatchAsync("GB", new JsonObject { ["person"] = new JsonObject { ["healthNotes"] = "Seen by the prison doctor." } });
        var gbView = await Gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}");
        var pkView = await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}");

        Assert.Multiple(() =>
        {
            Assert.That((int)counsel.StatusCode, Is.EqualTo(403));
            Assert.That((int)legalAid.StatusCode, Is.EqualTo(403));
            Assert.That((int)pkNotes.StatusCode, Is.EqualTo(200));
            Assert.That((string?)gbView!["private"]!["healthNotes"], Is.EqualTo("Seen by the prison doctor."));
            Assert.That((string?)pkView!["private"]!["healthNotes"], Is.EqualTo("Reported heart condition (PK file)."));
        });
    }

    [TestCase("""{"person":{"asylumClaim":{"lodgedOn":"2026-12-01"}}}""", "person.asylumClaim.lodgedOn")]
    [TestCase("""{"person":{"asylumClaim":{"status":"Maybe"}}}""", "person.asylumClaim.status")]
    [TestCase("""{"person":{"asylumClaim":{"colour":"red"}}}""", "person.asylumClaim")]
    [TestCase("""{"person":{"healthNotes":42}}""", "person.healthNotes")]
    [TestCase("""{"counsel":[{"firm":"No name"}]}""", "counsel[0].name")]
    [TestCase("""{"legalAid":{"reference":"LAA-1"}}""", "legalAid.granted")]
    public async Task A_bad_private_member_is_400_naming_it(string patch, string named)
    {
        var c = await CaseDriver.FileAsync(_api);

        var response = await c.PatchAsync("GB", JsonNode.Parse(patch)!.AsObject());
        var problem = await response.ReadObjectAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(400), problem.ToJsonString());
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain(named), problem.ToJsonString());
    }

    [Test]
    public async Task Erasing_a_private_member_keeps_every_chain_valid_and_the_version()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.PatchAsync("GB", PrivatePatch());
        await c.PatchAsync("GB", new JsonObject { ["person"] = new JsonObject { ["asylumClaim"] = new JsonObject { ["lodgedOn"] = "2026-11-01", ["status"] = "Refused" } } });
        var before = await Gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}");

        var erased = await Gb.DeleteAsync($"/api/v1/cases/{c.Id}/private/asylumClaim");
        var result = await erased.ReadObjectAsync();
        var after = await Gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}");
        var verify = await Gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history/verify");
        var unknown = await Gb.DeleteAsync($"/api/v1/cases/{c.Id}/private/offences");

        Assert.Multiple(() =>
        {
            Assert.That((int)erased.StatusCode, Is.EqualTo(200), result.ToJsonString());
            Assert.That((int)result["erasedEntries"]!, Is.EqualTo(2), "every recorded value of the member");
            Assert.That((string?)before!["private"]!["asylumClaim"]!["status"], Is.EqualTo("Refused"));
            Assert.That(after!["private"]!["asylumClaim"], Is.Null);
            Assert.That((string?)after["private"]!["healthNotes"], Does.Contain("diabetes"), "other members stay");
            Assert.That((int)after["version"]!, Is.EqualTo((int)before["version"]!));
            Assert.That((bool)verify!["valid"]!, Is.True);
            Assert.That((int)unknown.StatusCode, Is.EqualTo(400));
        });
    }

    [Test]
    public async Task A_private_note_and_a_private_document_are_the_recording_states_alone()
    {
        var caseId = (string)(await Cases.FileAsync(Pk))["id"]!;
        var note = new JsonObject
        {
            ["kind"] = "Note", ["text"] = "Source says the person plans to claim asylum.", ["private"] = true,
        };
        var noteResponse = await Gb.PostAsync($"/api/v1/cases/{caseId}/notes", Cases.Json(note));
        var metadata = Documents.Metadata("Correspondence", "Medical report (confidential)");
        metadata["private"] = true;
        var document = await Documents.AddAsync(Gb, caseId, metadata);

        var gbNotes = await Gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/notes");
        var pkNotes = await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/notes");
        var pkDocuments = await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/documents");
        var pkDocument = await Pk.GetAsync($"/api/v1/cases/{caseId}/documents/{document["id"]}/content");
        var gbDocument = await Gb.GetAsync($"/api/v1/cases/{caseId}/documents/{document["id"]}/content");
        var history = await Pk.GetStringAsync($"/api/v1/cases/{caseId}/history");
        var verify = await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/history/verify");

        Assert.Multiple(() =>
        {
            Assert.That((int)noteResponse.StatusCode, Is.EqualTo(201));
            Assert.That((bool)document["private"]!, Is.True);
            Assert.That(gbNotes!["items"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(pkNotes!["items"]!.AsArray(), Is.Empty);
            Assert.That(pkDocuments!["items"]!.AsArray(), Is.Empty);
            Assert.That((int)pkDocument.StatusCode, Is.EqualTo(404));
            Assert.That((int)gbDocument.StatusCode, Is.EqualTo(200));
            Assert.That(history, Does.Not.Contain("asylum").And.Not.Contain("Medical report").And.Not.Contain((string?)document["sha256"]));
            Assert.That(history, Does.Contain("\"commitment\""));
            Assert.That((bool)verify!["valid"]!, Is.True);
        });
    }
}
