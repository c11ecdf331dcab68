using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// Linked persons and competing requests (issue 14). Zafar Iqbal Chaudhry is sought by Pakistan from the UK (P),
/// by the UAE from the UK (U, the same passport) and by Pakistan from the US (X, the same name and date of
/// birth). The service suggests links without recording them; a confirmed link is an event in both chains; P and
/// U are a competing request (both requested of the UK, by different states), which the UK sees named and
/// Pakistan and the UAE each see only as existing: the shared events carry an opaque link id and nothing else.
/// </summary>
public sealed class LinkAndCompetingRequestTests
{
    private const string Passport = "AK7654321";
    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory();

    [TearDown]
    public void StopService() => _api.Dispose();

    private HttpClient Officer(string country) => _api.ClientFor(Tokens.Officer(country));

    private static JsonObject Person(string requesting, string requested, string fullName, string dateOfBirth, string? passport, params string[] aliases)
    {
        var body = Cases.NewCase(requesting, requested, fullName);
        var person = body["person"]!.AsObject();
        person["dateOfBirth"] = dateOfBirth;
        person["aliases"] = new JsonArray([.. aliases.Select(a => (JsonNode)a)]);
        if (passport is not null)
        {
            person["identityDocuments"] = new JsonArray(new JsonObject
            {
                ["kind"] = "Passport", ["number"] = passport, ["issuingCountry"] = "PK",
            });
        }

        return body;
    }

    private async Task<(CaseDriver P, CaseDriver U, CaseDriver X)> FileThePersonAsync()
    {
        var p = await CaseDriver.FileAsync(_api, Person("PK", "GB", "ظفر اقبال چوہدری", "1975-03-10", Passport, "Zafar Iqbal Chaudhry"));
        var u = await CaseDriver.FileAsync(_api, Person("AE", "GB", "Zafar Iqbal Chaudhary", "1975-03-10", "AK-765-4321"), requesting: "AE");
        var x = await CaseDriver.FileAsync(_api, Person("PK", "US", "Zafar Iqbal Choudhry", "1975-03-10", null, "Mohd. Zafar Iqbal"));
        // Close but not the same person: a different name with the same birth date, the same name with another.
        await CaseDriver.FileAsync(_api, Person("PK", "GB", "Zafar Iqbal Qureshi", "1975-03-10", "AK1111111"));
        await CaseDriver.FileAsync(_api, Person("PK", "GB", "Zafar Iqbal Chaudhry", "1981-07-01", null));
        return (p, u, x);
    }

    private static async Task ToExecutiveDecisionAsync(CaseDriver c)
    {
        await c.FireAsync("GB", "ProvisionalArrest");
        await c.FireAsync("GB", "ReceiveFullRequest", new JsonObject { ["certificateReference"] = $"S70-{c.Id[..8]}" });
        await c.FireAsync("GB", "OpenHearing");
        await c.FireAsync("GB", "SendToExecutive");
    }

    private async Task<HttpResponseMessage> LinkAsync(string country, string from, string to, string reason = "Same passport and date of birth.") =>
        await Officer(country).PostAsync($"/api/v1/cases/{from}/links", Cases.Json(new JsonObject { ["caseId"] = to, ["reason"] = reason }));

    private async Task<JsonArray> SuggestionsAsync(string country, string caseId)
    {
        var response = await Officer(country).GetAsync($"/api/v1/cases/{caseId}/link-suggestions");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return (await response.ReadObjectAsync())["items"]!.AsArray();
    }

    private async Task<JsonArray> HistoryAsync(string caseId) =>
        (await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/history"))!["events"]!.AsArray();

    [Test]
    public async Task Links_are_suggested_from_identity_documents_or_a_strong_name_and_birth_date_match_and_nothing_is_recorded()
    {
        var (p, u, x) = await FileThePersonAsync();

        var forGb = await SuggestionsAsync("GB", p.Id);
        var forPk = await SuggestionsAsync("PK", p.Id);
        var forAe = await SuggestionsAsync("AE", u.Id);
        var pAfter = (await Officer("PK").GetFromJsonAsync<JsonObject>($"/api/v1/cases/{p.Id}"))!;
        var notParty = await Officer("AE").GetAsync($"/api/v1/cases/{p.Id}/link-suggestions");
        var auditor = await _api.ClientFor(Tokens.Auditor()).GetAsync($"/api/v1/cases/{p.Id}/link-suggestions");

        Assert.Multiple(() =>
        {
            Assert.That(forGb.Select(s => (string?)s!["case"]!["id"]), Is.EqualTo(new[] { u.Id }), "the UK sees both UK cases; the Qureshi passport differs");
            Assert.That((string?)forGb[0]!["evidence"]![0]!["kind"], Is.EqualTo("IdentityDocument"));
            Assert.That((string?)forGb[0]!["evidence"]![0]!["otherCase"], Does.Contain("AK-765-4321"), "separators ignored, the number as recorded");
            Assert.That((bool)forGb[0]!["wouldCompete"]!, Is.True);
            Assert.That(forPk.Select(s => (string?)s!["case"]!["id"]), Is.EqualTo(new[] { x.Id }),
                "Pakistan cannot see the UAE's case; Choudhry is Chaudhry in the variant table, same birth date; not Qureshi, not the 1981 namesake");
            Assert.That((string?)forPk[0]!["evidence"]![0]!["kind"], Is.EqualTo("NameAndDateOfBirth"));
            Assert.That((bool)forPk[0]!["wouldCompete"]!, Is.False, "requested of different states");
            Assert.That(forAe, Is.Empty, "the UAE sees no other case of the person");
            Assert.That((int)pAfter["version"]!, Is.EqualTo(1), "a suggestion records nothing");
            Assert.That(pAfter["links"]!.AsArray(), Is.Empty);
            Assert.That((int)notParty.StatusCode, Is.EqualTo(404));
            Assert.That((int)auditor.StatusCode, Is.EqualTo(403), "suggestions are for the officers who confirm links");
        });
    }

    [Test]
    public async Task A_competing_request_is_recorded_in_both_chains_named_for_the_requested_state_and_only_existing_for_each_requesting_state()
    {
        var (p, u, _) = await FileThePersonAsync();
        await ToExecutiveDecisionAsync(p);
        var deferBefore = await p.SendAsync("GB", "DeferDecision", new JsonObject { ["ground"] = "CompetingRequest" });

        var linked = await LinkAsync("GB", p.Id, u.Id, "Passport AK7654321 on both; the UAE request names him Zafar Iqbal Chaudhary.");
        var link = await linked.ReadObjectAsync();
        var linkId = (string)link["id"]!;
        var pForGb = (await Officer("GB").GetFromJsonAsync<JsonObject>($"/api/v1/cases/{p.Id}"))!;
        var pForPk = (await Officer("PK").GetFromJsonAsync<JsonObject>($"/api/v1/cases/{p.Id}"))!;
        var uForAe = (await Officer("AE").GetFromJsonAsync<JsonObject>($"/api/v1/cases/{u.Id}"))!;
        var uForGb = (await Officer("GB").GetFromJsonAsync<JsonObject>($"/api/v1/cases/{u.Id}"))!;
        var detailsGb = await Officer("GB").GetAsync($"/api/v1/cases/{p.Id}/links/{linkId}");
        var detailsGbFromU = await Officer("GB").GetAsync($"/api/v1/cases/{u.Id}/links/{linkId}");
        var detailsPk = await Officer("PK").GetAsync($"/api/v1/cases/{p.Id}/links/{linkId}");
        var detailsAe = await Officer("AE").GetAsync($"/api/v1/cases/{u.Id}/links/{linkId}");
        var detailsAuditor = await _api.ClientFor(Tokens.Auditor()).GetAsync($"/api/v1/cases/{u.Id}/links/{linkId}");
        var pHistory = await HistoryAsync(p.Id);
        var uHistory = await HistoryAsync(u.Id);
        p.Keep(await Officer("GB").GetAsync($"/api/v1/cases/{p.Id}"));
        var deferAfter = await p.SendAsync("GB", "DeferDecision", new JsonObject { ["ground"] = "CompetingRequest" });
        var auditor = _api.ClientFor(Tokens.Auditor());
        var pVerify = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{p.Id}/history/verify"))!;
        var uVerify = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{u.Id}/history/verify"))!;
        var pReference = (string)pForGb["reference"]!;
        var uReference = (string)uForGb["reference"]!;

        Assert.Multiple(async () =>
        {
            Assert.That((int)deferBefore.StatusCode, Is.EqualTo(422), "no competing request was detected yet");
            Assert.That((int)linked.StatusCode, Is.EqualTo(201), link.ToJsonString());
            Assert.That(linked.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/cases/{p.Id}/links/{linkId}"));
            Assert.That((bool)link["competing"]!, Is.True);
            Assert.That(link["cases"]!.AsArray().Select(c => (string?)c!["id"]), Is.EquivalentTo(new[] { p.Id, u.Id }));

            // The requested state sees both cases named, from either side.
            Assert.That((string?)pForGb["competingRequests"]![0]!["otherCase"]!["id"], Is.EqualTo(u.Id));
            Assert.That((string?)pForGb["competingRequests"]![0]!["linkId"], Is.EqualTo(linkId));
            Assert.That((string?)uForGb["competingRequests"]![0]!["otherCase"]!["requestingState"], Is.EqualTo("PK"));
            Assert.That((int)detailsGb.StatusCode, Is.EqualTo(200));
            Assert.That((int)detailsGbFromU.StatusCode, Is.EqualTo(200));
            Assert.That((string?)(await detailsGb.ReadObjectAsync())["reason"], Does.StartWith("Passport AK7654321"));
            Assert.That((int)detailsAuditor.StatusCode, Is.EqualTo(200));

            // Each requesting state sees only that a competing request exists.
            Assert.That((string?)pForPk["competingRequests"]![0]!["linkId"], Is.EqualTo(linkId));
            Assert.That(pForPk["competingRequests"]![0]!["otherCase"], Is.Null);
            Assert.That(pForPk["links"]![0]!["otherCase"], Is.Null);
            Assert.That((string?)uForAe["competingRequests"]![0]!["linkId"], Is.EqualTo(linkId));
            Assert.That(uForAe["competingRequests"]![0]!["otherCase"], Is.Null);
            Assert.That((int)detailsPk.StatusCode, Is.EqualTo(404));
            Assert.That((int)detailsAe.StatusCode, Is.EqualTo(404));
            Assert.That(pForPk.ToJsonString(), Does.Not.Contain(u.Id).And.Not.Contain(uReference));
            Assert.That(uForAe.ToJsonString(), Does.Not.Contain(p.Id).And.Not.Contain(pReference));

            // Both chains: CaseLinked then CompetingRequestDetected, by the UK officer, naming only the link.
            foreach (var (history, otherId, otherReference, otherState) in new[] { (pHistory, u.Id, uReference, "AE"), (uHistory, p.Id, pReference, "PK") })
            {
                var last = history.TakeLast(2).ToList();
                Assert.That(last.Select(e => (string?)e!["type"]), Is.EqualTo(new[] { "CaseLinked", "CompetingRequestDetected" }));
                foreach (var e in last)
                {
                    Assert.That(e!["data"]!.ToJsonString(), Is.EqualTo($$"""{"linkId":"{{linkId}}"}"""));
                    Assert.That((string?)e["actor"]!["country"], Is.EqualTo("GB"));
                    Assert.That((string?)e["actor"]!["subject"], Is.EqualTo("officer-1-GB"));
                    Assert.That(e.ToJsonString(), Does.Not.Contain(otherId).And.Not.Contain(otherReference).And.Not.Contain($"\"{otherState}\""));
                }
            }

            Assert.That((int)deferAfter.StatusCode, Is.EqualTo(200), await deferAfter.Content.ReadAsStringAsync());
            Assert.That((bool)pVerify["valid"]!, Is.True);
            Assert.That((bool)uVerify["valid"]!, Is.True);
        });
    }

    [Test]
    public async Task A_link_between_cases_requested_of_different_states_is_no_competing_request_and_each_state_sees_what_it_may()
    {
        var (p, u, x) = await FileThePersonAsync();
        var withdrawn = await CaseDriver.FileAsync(_api, Person("AE", "GB", "Zafar Iqbal Chaudhary", "1975-03-10", Passport), requesting: "AE");
        await withdrawn.FireAsync("AE", "Withdraw", new JsonObject { ["reason"] = "Superseded by a new request." });

        var linked = await LinkAsync("PK", p.Id, x.Id);
        _api.Clock.Advance(TimeSpan.FromMinutes(5));
        var toEnded = await LinkAsync("GB", withdrawn.Id, p.Id);
        var pForPk = (await Officer("PK").GetFromJsonAsync<JsonObject>($"/api/v1/cases/{p.Id}"))!;
        var pForGb = (await Officer("GB").GetFromJsonAsync<JsonObject>($"/api/v1/cases/{p.Id}"))!;
        var xHistory = await HistoryAsync(x.Id);
        var suggestions = await SuggestionsAsync("PK", p.Id);

        Assert.Multiple(async () =>
        {
            Assert.That((int)linked.StatusCode, Is.EqualTo(201));
            Assert.That((bool)(await linked.ReadObjectAsync())["competing"]!, Is.False);
            Assert.That((int)toEnded.StatusCode, Is.EqualTo(201));
            Assert.That((bool)(await toEnded.ReadObjectAsync())["competing"]!, Is.False, "a withdrawn request competes with nothing");
            Assert.That(xHistory.Select(e => (string?)e!["type"]), Is.EqualTo(new[] { "CaseFiled", "CaseLinked" }));
            Assert.That(pForPk["competingRequests"]!.AsArray(), Is.Empty);
            Assert.That(pForPk["links"]!.AsArray().Select(l => (string?)l!["otherCase"]?["id"]), Is.EqualTo(new[] { x.Id, null }),
                "Pakistan sees its US case, and only that the UK linked another");
            Assert.That(pForGb["links"]!.AsArray().Select(l => (string?)l!["otherCase"]?["id"]), Is.EqualTo(new[] { null, withdrawn.Id }));
            Assert.That(suggestions, Is.Empty, "a linked case is suggested no more");
        });
    }

    [Test]
    public async Task A_link_is_refused_when_the_caller_may_not_see_both_cases_or_it_exists_already()
    {
        var (p, u, _) = await FileThePersonAsync();
        var first = await LinkAsync("GB", p.Id, u.Id);

        var again = await LinkAsync("GB", u.Id, p.Id);
        var requestingState = await LinkAsync("PK", p.Id, u.Id);
        var unknown = await LinkAsync("GB", p.Id, Guid.NewGuid().ToString());
        var self = await LinkAsync("GB", p.Id, p.Id);
        var notACase = await LinkAsync("GB", p.Id, "not-an-id");
        var noReason = await LinkAsync("GB", p.Id, u.Id, "");
        var notParty = await LinkAsync("US", p.Id, u.Id);
        var partner = await _api.ClientFor(Tokens.Partner("GB")).PostAsync($"/api/v1/cases/{p.Id}/links",
            Cases.Json(new JsonObject { ["caseId"] = u.Id, ["reason"] = "x" }));
        var unknownLink = await Officer("GB").GetAsync($"/api/v1/cases/{p.Id}/links/{Guid.NewGuid()}");

        Assert.Multiple(async () =>
        {
            Assert.That((int)first.StatusCode, Is.EqualTo(201));
            Assert.That((int)again.StatusCode, Is.EqualTo(409), "either way round");
            Assert.That((int)requestingState.StatusCode, Is.EqualTo(422), "Pakistan may not see the UAE's case");
            Assert.That((string?)(await requestingState.ReadObjectAsync())["errors"]!["caseId"]![0], Does.Contain("No case you may see"));
            Assert.That((int)unknown.StatusCode, Is.EqualTo(422), "the same answer as for a case the caller may not see");
            Assert.That((int)self.StatusCode, Is.EqualTo(400));
            Assert.That((int)notACase.StatusCode, Is.EqualTo(400));
            Assert.That((int)noReason.StatusCode, Is.EqualTo(400));
            Assert.That((int)notParty.StatusCode, Is.EqualTo(404));
            Assert.That((int)partner.StatusCode, Is.EqualTo(403));
            Assert.That((int)unknownLink.StatusCode, Is.EqualTo(404));
        });
    }
}
