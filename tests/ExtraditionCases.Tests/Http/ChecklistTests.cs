using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// The per-stage document checklist (issue 13): what each stage's trigger expects, what is on file and
/// what is missing, shown with the case for its next stages, and a guard only where a deployment enforces it.
/// </summary>
public sealed class ChecklistTests
{
    private ApiFactory _api = null!;

    [TearDown]
    public void StopService() => _api.Dispose();

    private ApiFactory Start(Dictionary<string, string?>? settings = null) => _api = new ApiFactory(settings);

    private HttpClient Pk => _api.ClientFor(Tokens.Officer("PK"));

    private static IEnumerable<string> Missing(JsonObject checklist, string trigger) =>
        checklist["stages"]!.AsArray().Single(s => (string?)s!["trigger"] == trigger)!["missing"]!.AsArray().Select(m => (string)m!);

    private async Task<JsonObject> ChecklistAsync(string caseId) => (await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/checklist"))!;

    [Test]
    public async Task A_new_case_lacks_the_request_and_the_warrant_for_Submit_and_its_view_says_so()
    {
        Start();
        var caseId = (string)(await Cases.FileAsync(Pk))["id"]!;

        var checklist = await ChecklistAsync(caseId);
        var view = await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}");
        var submit = checklist["stages"]!.AsArray().Single(s => (string?)s!["trigger"] == "Submit")!;

        Assert.Multiple(() =>
        {
            Assert.That((bool)checklist["enforced"]!, Is.False);
            Assert.That(checklist["stages"]!.AsArray().Select(s => (string?)s!["trigger"]),
                Is.SupersetOf(new[] { "Submit", "Certify", "OrderExtradition", "ArrangeSurrender" }));
            Assert.That((bool)submit["next"]!, Is.True);
            Assert.That(Missing(checklist, "Submit"), Is.EqualTo(new[] { "Request", "ForeignWarrant or ConvictionRecord" }));
            Assert.That(view!["missingDocuments"]!.AsArray().Select(m => (string?)m!["trigger"]), Is.EqualTo(new[] { "Submit" }));
            Assert.That(view["missingDocuments"]![0]!["missing"]!.AsArray().Select(m => (string?)m), Does.Contain("Request"));
        });
    }

    [Test]
    public async Task Each_document_not_in_English_needs_a_current_English_translation()
    {
        Start();
        var caseId = (string)(await Cases.FileAsync(Pk))["id"]!;
        await Documents.AddAsync(Pk, caseId, Documents.Metadata("Request", "Request", "en-GB"), Documents.Pdf(seed: 1));
        var warrant = await Documents.AddAsync(Pk, caseId, Documents.Metadata("ForeignWarrant", "وارنٹ گرفتاری", "ur"), Documents.Pdf(seed: 2));
        var lacking = Missing(await ChecklistAsync(caseId), "Submit").ToList();

        var translation = Documents.Metadata("Translation", "Arrest warrant", "en");
        translation["translationOf"] = (string?)warrant["id"];
        await Documents.AddAsync(Pk, caseId, translation, Documents.Pdf(seed: 3));
        var complete = Missing(await ChecklistAsync(caseId), "Submit").ToList();

        // A corrected warrant supersedes the old one: the translation of the old one no longer covers it.
        var corrected = Documents.Metadata("ForeignWarrant", "وارنٹ گرفتاری (درست)", "ur");
        corrected["supersedes"] = (string?)warrant["id"];
        var newWarrant = await Documents.AddAsync(Pk, caseId, corrected, Documents.Pdf(seed: 4));
        var afterCorrection = Missing(await ChecklistAsync(caseId), "Submit").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(lacking, Has.Count.EqualTo(1));
            Assert.That(lacking[0], Does.Contain((string?)warrant["id"]).And.Contain("'en'"));
            Assert.That(complete, Is.Empty);
            Assert.That(afterCorrection, Has.Count.EqualTo(1));
            Assert.That(afterCorrection[0], Does.Contain((string?)newWarrant["id"]));
        });
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task OrderExtradition_expects_a_death_penalty_assurance_where_an_offence_carries_it(bool deathPenalty)
    {
        Start();
        var body = Cases.NewCase();
        body["offences"]![0]!["deathPenalty"] = deathPenalty;
        var caseId = (string)(await Cases.FileAsync(Pk, body))["id"]!;

        var missing = Missing(await ChecklistAsync(caseId), "OrderExtradition").ToList();
        var assurance = Documents.Metadata("Assurance", "Death penalty assurance");
        assurance["assuranceKind"] = "DeathPenalty";
        await Documents.AddAsync(Pk, caseId, assurance);
        var afterAssurance = Missing(await ChecklistAsync(caseId), "OrderExtradition").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(missing.Contains("Assurance (DeathPenalty)"), Is.EqualTo(deathPenalty));
            Assert.That(afterAssurance, Does.Not.Contain("Assurance (DeathPenalty)"));
            Assert.That(missing, Does.Contain("Section70Certificate"));
        });
    }

    [Test]
    public async Task A_private_document_does_not_count()
    {
        Start();
        var caseId = (string)(await Cases.FileAsync(Pk))["id"]!;
        var request = Documents.Metadata();
        request["private"] = true;
        await Documents.AddAsync(Pk, caseId, request);

        Assert.That(Missing(await ChecklistAsync(caseId), "Submit"), Does.Contain("Request"));
    }

    [Test]
    public async Task Without_enforcement_a_stage_may_proceed_with_documents_missing()
    {
        Start();
        var c = await CaseDriver.FileAsync(_api);

        await c.FireAsync("PK", "Submit");
    }

    [Test]
    public async Task Enforced_the_missing_documents_are_guards_of_the_trigger()
    {
        Start(new() { ["Documents:EnforceChecklist"] = "true" });
        var c = await CaseDriver.FileAsync(_api);

        var refused = await c.SendAsync("PK", "Submit");
        var problem = await refused.ReadObjectAsync();
        await Documents.AddAsync(Pk, c.Id, Documents.Metadata());
        await Documents.AddAsync(Pk, c.Id, Documents.Metadata("ForeignWarrant", "Arrest warrant"), Documents.Pdf(seed: 5));
        var view = await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}");
        c = new CaseDriver(_api, c.Id, $"\"{(int)view!["version"]!}\"");

        Assert.Multiple(async () =>
        {
            Assert.That((int)refused.StatusCode, Is.EqualTo(422), problem.ToJsonString());
            Assert.That(problem["unmetGuards"]!.AsArray().Select(g => (string?)g),
                Is.SupersetOf(new[] { "the case file holds Request", "the case file holds ForeignWarrant or ConvictionRecord" }));
            Assert.That((bool)(await ChecklistAsync(c.Id))["enforced"]!, Is.True);
        });
        await c.FireAsync("PK", "Submit");
    }

    [Test]
    public async Task A_requested_state_with_rules_of_its_own_uses_them_and_others_the_GB_defaults()
    {
        Start(new()
        {
            ["Documents:Checklists:PK:Submit:0:Name"] = "IdentityEvidence",
            ["Documents:Checklists:PK:Submit:0:Kinds:0"] = "IdentityEvidence",
        });
        var toPk = (string)(await Cases.FileAsync(_api.ClientFor(Tokens.Officer("GB")), Cases.NewCase("GB", "PK")))["id"]!;
        var toUs = (string)(await Cases.FileAsync(Pk, Cases.NewCase("PK", "US")))["id"]!;

        var pkRules = (await _api.ClientFor(Tokens.Officer("GB")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{toPk}/checklist"))!;
        var usRules = await ChecklistAsync(toUs);

        Assert.Multiple(() =>
        {
            Assert.That(pkRules["stages"]!.AsArray().Select(s => (string?)s!["trigger"]), Is.EqualTo(new[] { "Submit" }));
            Assert.That(Missing(pkRules, "Submit"), Is.EqualTo(new[] { "IdentityEvidence" }));
            Assert.That(Missing(usRules, "Submit"), Is.EqualTo(new[] { "Request", "ForeignWarrant or ConvictionRecord" }));
        });
    }
}
