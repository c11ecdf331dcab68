using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>Notes and correspondence (issue 13): NoteRecorded events in the chain, listed with the history and on their own.</summary>
public sealed class NotesTests
{
    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory();

    [TearDown]
    public void StopService() => _api.Dispose();

    private HttpClient Pk => _api.ClientFor(Tokens.Officer("PK"));
    private HttpClient Gb => _api.ClientFor(Tokens.Officer("GB"));

    private static JsonObject Call(string text = "Called the High Commission about the hearing date.") => new()
    {
        ["kind"] = "Call", ["direction"] = "Out", ["counterpart"] = "Pakistan High Commission, London",
        ["occurredAt"] = "2026-11-19T15:30:00Z", ["text"] = text,
    };

    private static Task<HttpResponseMessage> RecordAsync(HttpClient client, string caseId, JsonObject note) =>
        client.PostAsync($"/api/v1/cases/{caseId}/notes", Cases.Json(note));

    [Test]
    public async Task A_note_is_a_NoteRecorded_event_dated_when_it_happened_and_is_listed()
    {
        var caseId = (string)(await Cases.FileAsync(Pk))["id"]!;
        var document = await Documents.AddAsync(Pk, caseId, Documents.Metadata("Correspondence", "Note verbale 17/2026"));
        var note = new JsonObject
        {
            ["kind"] = "DiplomaticNote", ["direction"] = "In", ["counterpart"] = "British High Commission, Islamabad",
            ["occurredAt"] = "2026-11-18T09:00:00Z", ["text"] = "نوٹ وربال: سماعت کی تاریخ 2 دسمبر\nHearing fixed for 2 December.",
            ["relatedDocuments"] = new JsonArray((string?)document["id"]),
        };

        var response = await RecordAsync(Gb, caseId, note);
        var created = await response.ReadObjectAsync();
        var history = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/history");
        var verify = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/history/verify");
        var listed = await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/notes");
        var recorded = history!["events"]!.AsArray().Last()!;

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(201), created.ToJsonString());
            Assert.That((string?)created["kind"], Is.EqualTo("DiplomaticNote"));
            Assert.That((string?)created["recordedBy"]!["country"], Is.EqualTo("GB"));
            Assert.That((string?)recorded["type"], Is.EqualTo("NoteRecorded"));
            Assert.That((string?)recorded["occurredAt"], Is.EqualTo("2026-11-18T09:00:00.000Z"));
            Assert.That((string?)recorded["data"]!["text"], Is.EqualTo((string?)note["text"]));
            Assert.That((string?)recorded["data"]!["relatedDocuments"]![0], Is.EqualTo((string?)document["id"]));
            Assert.That((bool)verify!["valid"]!, Is.True);
            Assert.That(listed!["items"]!.AsArray().Select(n => (string?)n!["id"]), Is.EqualTo(new[] { (string?)created["id"] }));
            Assert.That((string?)listed["items"]![0]!["text"], Is.EqualTo((string?)note["text"]));
        });
    }

    [TestCase("kind", "Fax", "kind")]
    [TestCase("direction", "Sideways", "direction")]
    [TestCase("direction", null, "direction")]
    [TestCase("occurredAt", "2026-11-20T10:00:01Z", "occurredAt")]
    [TestCase("occurredAt", "yesterday", "occurredAt")]
    [TestCase("text", "", "text")]
    [TestCase("counterpart", "bad\u0007bell", "counterpart")]
    public async Task A_bad_member_is_400_naming_it_and_records_nothing(string member, string? value, string named)
    {
        var caseId = (string)(await Cases.FileAsync(Pk))["id"]!;
        var note = Call();
        note[member] = value;

        var response = await RecordAsync(Pk, caseId, note);
        var problem = await response.ReadObjectAsync();
        var view = await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}");

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400), problem.ToJsonString());
            Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain(named));
            Assert.That((int)view!["version"]!, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Text_is_limited_to_8000_characters()
    {
        var caseId = (string)(await Cases.FileAsync(Pk))["id"]!;

        var atLimit = await RecordAsync(Pk, caseId, Call(new string('ن', 8000)));
        var over = await RecordAsync(Pk, caseId, Call(new string('ن', 8001)));

        Assert.Multiple(async () =>
        {
            Assert.That((int)atLimit.StatusCode, Is.EqualTo(201));
            Assert.That((int)over.StatusCode, Is.EqualTo(400));
            Assert.That((await over.ReadObjectAsync())["errors"]?["text"], Is.Not.Null);
        });
    }

    [Test]
    public async Task A_related_document_of_another_case_is_400_naming_it()
    {
        var caseId = (string)(await Cases.FileAsync(Pk))["id"]!;
        var otherCase = (string)(await Cases.FileAsync(Pk))["id"]!;
        var elsewhere = await Documents.AddAsync(Pk, otherCase, Documents.Metadata());
        var note = Call();
        note["relatedDocuments"] = new JsonArray((string?)elsewhere["id"]);

        var response = await RecordAsync(Pk, caseId, note);

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That((await response.ReadObjectAsync())["errors"]?["relatedDocuments[0]"], Is.Not.Null);
    }

    [Test]
    public async Task Notes_page_in_the_order_recorded_and_only_party_officers_and_auditors_read_them()
    {
        var caseId = (string)(await Cases.FileAsync(Pk))["id"]!;
        var ids = new List<string?>();
        for (var i = 0; i < 3; i++) ids.Add((string?)(await (await RecordAsync(Pk, caseId, Call($"Call {i}"))).ReadObjectAsync())["id"]);

        var first = await Gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/notes?limit=2");
        var second = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/notes?limit=2&cursor={first!["nextCursor"]}");
        var stranger = await _api.ClientFor(Tokens.Officer("US")).GetAsync($"/api/v1/cases/{caseId}/notes");
        var strangerWrite = await RecordAsync(_api.ClientFor(Tokens.Officer("US")), caseId, Call());
        var partner = await _api.ClientFor(Tokens.Partner("PK")).GetAsync($"/api/v1/cases/{caseId}/notes");

        Assert.Multiple(() =>
        {
            Assert.That(first["items"]!.AsArray().Concat(second!["items"]!.AsArray()).Select(n => (string?)n!["id"]), Is.EqualTo(ids));
            Assert.That((int)stranger.StatusCode, Is.EqualTo(404));
            Assert.That((int)strangerWrite.StatusCode, Is.EqualTo(404));
            Assert.That((int)partner.StatusCode, Is.EqualTo(403));
        });
    }
}
