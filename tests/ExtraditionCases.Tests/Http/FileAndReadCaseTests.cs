using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

public sealed class FileAndReadCaseTests
{
    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory();

    [TearDown]
    public void StopService() => _api.Dispose();

    [Test]
    public async Task Filing_a_case_answers_201_with_location_etag_and_a_draft_at_version_1()
    {
        var officer = _api.ClientFor(Tokens.Officer("PK"));

        var response = await officer.PostAsync("/api/v1/cases", Cases.Json(Cases.NewCase()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var body = await response.ReadObjectAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/cases/{body["id"]}"));
            Assert.That(response.Headers.ETag!.Tag, Is.EqualTo("\"1\""));
            Assert.That(response.Headers.ETag.IsWeak, Is.False);
            Assert.That((string?)body["state"], Is.EqualTo("Draft"));
            Assert.That((int?)body["version"], Is.EqualTo(1));
            Assert.That((string?)body["reference"], Does.Match(@"^EXT-2026-\d{6}$"));
            Assert.That((string?)body["direction"], Is.EqualTo("Outgoing"));
            Assert.That((string?)body["receivedAt"], Is.EqualTo("2026-08-01T09:30:00.000Z"));
            Assert.That((string?)body["createdAt"], Is.EqualTo("2026-11-20T10:00:00.000Z"));
            Assert.That(body["allowedActions"]!.AsArray().Select(a => (string?)a), Is.EquivalentTo(new[] { "Submit", "Withdraw" }));
        });
    }

    [TestCase(Cases.UrduName)]
    [TestCase(Cases.ArabicName)]
    [TestCase("Zoë Ångström-Nuñez")]
    public async Task Names_in_any_script_round_trip_exactly(string name)
    {
        var officer = _api.ClientFor(Tokens.Officer("PK"));
        var body = Cases.NewCase(fullName: name);
        body["person"]!["aliases"] = new JsonArray("محسن", "Mohsin");

        var filed = await Cases.FileAsync(officer, body);
        var read = await officer.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{filed["id"]}");

        Assert.Multiple(() =>
        {
            Assert.That((string?)read!["person"]!["fullName"], Is.EqualTo(name));
            Assert.That(read["person"]!["aliases"]!.AsArray().Select(a => (string?)a), Is.EqualTo(new[] { "محسن", "Mohsin" }));
        });
    }

    [Test]
    public async Task The_requested_state_reads_the_case_as_incoming()
    {
        var filed = await Cases.FileAsync(_api.ClientFor(Tokens.Officer("PK")));

        var read = await _api.ClientFor(Tokens.Officer("GB")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{filed["id"]}");

        Assert.Multiple(() =>
        {
            Assert.That((string?)read!["direction"], Is.EqualTo("Incoming"));
            Assert.That(read["allowedActions"]!.AsArray().Select(a => (string?)a), Does.Contain("ProvisionalArrest").And.Contain("Discharge"));
        });
    }

    [Test]
    public async Task An_auditor_reads_any_case_and_may_fire_nothing()
    {
        var filed = await Cases.FileAsync(_api.ClientFor(Tokens.Officer("PK")));

        var response = await _api.ClientFor(Tokens.Auditor("FR")).GetAsync($"/api/v1/cases/{filed["id"]}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var read = await response.ReadObjectAsync();
        Assert.Multiple(() =>
        {
            Assert.That(read["direction"], Is.Null);
            Assert.That(read["allowedActions"]!.AsArray(), Is.Empty);
        });
    }

    [Test]
    public async Task Invalid_new_case_is_400_with_errors_per_member_and_nothing_is_written()
    {
        var officer = _api.ClientFor(Tokens.Officer("PK"));
        var body = Cases.NewCase();
        body["requestedState"] = "XX";
        body["basis"] = "Friendship";
        body["person"]!["fullName"] = "";
        body["person"]!["dateOfBirth"] = "2099-01-01";
        body["offences"]![0]!["category"] = "Jaywalking";

        var response = await officer.PostAsync("/api/v1/cases", Cases.Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.ReadObjectAsync();
        var errors = problem["errors"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(e => e.Key), Is.SupersetOf(new[]
            {
                "requestedState", "basis", "person.fullName", "person.dateOfBirth", "offences[0].category",
            }));
            Assert.That((string?)problem["traceId"], Is.Not.Empty);
            Assert.That((int?)problem["status"], Is.EqualTo(400));
        });

        var list = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>("/api/v1/cases");
        Assert.That(list!["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task More_than_50_offences_is_400()
    {
        var body = Cases.NewCase();
        var offences = new JsonArray();
        for (var i = 0; i < 51; i++) offences.Add(new JsonObject { ["description"] = $"Count {i}" });
        body["offences"] = offences;

        var response = await _api.ClientFor(Tokens.Officer("PK")).PostAsync("/api/v1/cases", Cases.Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("offences"), Is.True);
    }

    [Test]
    public async Task Overlong_strings_are_400()
    {
        var body = Cases.NewCase(fullName: new string('a', 301));

        var response = await _api.ClientFor(Tokens.Officer("PK")).PostAsync("/api/v1/cases", Cases.Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task No_token_is_401_with_a_problem_body()
    {
        var response = await _api.CreateClient().PostAsync("/api/v1/cases", Cases.Json(Cases.NewCase()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((string?)(await response.ReadObjectAsync())["detail"], Is.Not.Empty);
    }

    [Test]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var forged = Tokens.Mint(new() { ["role"] = "officer", ["country"] = "PK", ["sub"] = "mallory" }, key: new byte[32]);
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        var response = await client.GetAsync($"/api/v1/cases/{Guid.NewGuid()}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task An_expired_token_is_401()
    {
        var expired = Tokens.Mint(new() { ["role"] = "officer", ["country"] = "PK", ["sub"] = "late" },
            notBefore: DateTime.UtcNow.AddHours(-3), expires: DateTime.UtcNow.AddHours(-2));
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", expired);

        var response = await client.GetAsync($"/api/v1/cases/{Guid.NewGuid()}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("partner")]
    [TestCase("auditor")]
    public async Task Only_officers_file_cases(string role)
    {
        var token = role == "partner" ? Tokens.Partner("PK") : Tokens.Auditor("PK");

        var response = await _api.ClientFor(token).PostAsync("/api/v1/cases", Cases.Json(Cases.NewCase()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task An_officer_filing_a_case_between_two_other_states_is_403()
    {
        var response = await _api.ClientFor(Tokens.Officer("FR")).PostAsync("/api/v1/cases", Cases.Json(Cases.NewCase("PK", "GB")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_partner_may_not_read_the_full_case()
    {
        var filed = await Cases.FileAsync(_api.ClientFor(Tokens.Officer("PK")));

        var response = await _api.ClientFor(Tokens.Partner("PK")).GetAsync($"/api/v1/cases/{filed["id"]}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task An_officer_of_a_third_state_gets_404_not_403()
    {
        var filed = await Cases.FileAsync(_api.ClientFor(Tokens.Officer("PK")));

        var response = await _api.ClientFor(Tokens.Officer("FR")).GetAsync($"/api/v1/cases/{filed["id"]}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task An_unknown_case_is_404_and_a_non_guid_id_is_404()
    {
        var officer = _api.ClientFor(Tokens.Officer("PK"));

        var unknown = await officer.GetAsync($"/api/v1/cases/{Guid.NewGuid()}");
        var notAGuid = await officer.GetAsync("/api/v1/cases/not-a-guid");

        Assert.Multiple(() =>
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(notAGuid.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task A_body_that_is_not_json_is_415_and_malformed_json_is_400()
    {
        var officer = _api.ClientFor(Tokens.Officer("PK"));

        var text = await officer.PostAsync("/api/v1/cases", new StringContent("name=x", System.Text.Encoding.UTF8, "text/plain"));
        var broken = await officer.PostAsync("/api/v1/cases", new StringContent("{\"requestingState\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Multiple(() =>
        {
            Assert.That(text.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That(broken.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task Health_and_openapi_need_no_token()
    {
        var anonymous = _api.CreateClient();

        var live = await anonymous.GetAsync("/health/live");
        var ready = await anonymous.GetAsync("/health/ready");
        var openApi = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Multiple(async () =>
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(openApi.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await openApi.Content.ReadAsStringAsync(), Does.Contain("/api/v1/cases"));
        });
    }
}
