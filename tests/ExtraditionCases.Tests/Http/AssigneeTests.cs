using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// Ownership (issue 14): each party state assigns its own officer to a case (an AssigneeChanged event, with
/// If-Match like every write), the case and its status show the assignees, and an officer's work list
/// (/cases?assignee=me, /deadlines?assignee=me&amp;dueWithin=P14D) holds their cases, soonest clock first.
/// </summary>
public sealed class AssigneeTests
{
    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory();

    [TearDown]
    public void StopService() => _api.Dispose();

    private void Days(double days) => _api.Clock.Advance(TimeSpan.FromDays(days));

    private async Task<HttpResponseMessage> AssignAsync(CaseDriver c, string country, string subject, string callerCountry, string callerSubject = "officer-1",
        string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/cases/{c.Id}/assignees/{country}")
        {
            Content = Cases.Json(new JsonObject { ["subject"] = subject }),
        };
        if (ifMatch != "") request.Headers.TryAddWithoutValidation("If-Match", ifMatch ?? c.ETag);
        var response = await _api.ClientFor(Tokens.Officer(callerCountry, callerSubject)).SendAsync(request);
        c.Keep(response);
        return response;
    }

    private async Task AssignedAsync(CaseDriver c, string country, string subject)
    {
        var response = await AssignAsync(c, country, subject, country);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_state_assigns_its_own_officer_as_an_AssigneeChanged_event_shown_on_the_case_and_its_status()
    {
        var c = await CaseDriver.FileAsync(_api);

        var assigned = await AssignAsync(c, "GB", "officer-7-GB", "GB");
        var body = await assigned.ReadObjectAsync();
        var again = await AssignAsync(c, "GB", "officer-7-GB", "GB");
        var reassigned = await AssignAsync(c, "GB", "officer-9-GB", "GB");
        var pk = await AssignAsync(c, "PK", "officer-3-PK", "PK");
        var read = (await _api.ClientFor(Tokens.Officer("PK")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}"))!;
        var status = (await _api.ClientFor(Tokens.Partner("GB")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/status"))!;
        var auditor = _api.ClientFor(Tokens.Auditor());
        var history = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history"))!["events"]!.AsArray();
        var verify = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history/verify"))!;

        Assert.Multiple(async () =>
        {
            Assert.That((int)assigned.StatusCode, Is.EqualTo(200), body.ToJsonString());
            Assert.That(assigned.Headers.ETag!.Tag, Is.EqualTo("\"2\""));
            Assert.That((string?)body["assignees"]![0]!["subject"], Is.EqualTo("officer-7-GB"));
            Assert.That((string?)body["assignees"]![0]!["issuer"], Is.EqualTo(Tokens.Issuer), "the issuer is the assigning officer's own");
            Assert.That((int)again.StatusCode, Is.EqualTo(200));
            Assert.That(again.Headers.ETag!.Tag, Is.EqualTo("\"2\""), "naming the officer already assigned records nothing");
            Assert.That((int)reassigned.StatusCode, Is.EqualTo(200), await reassigned.Content.ReadAsStringAsync());
            Assert.That((int)pk.StatusCode, Is.EqualTo(200));
            Assert.That(read["assignees"]!.AsArray().Select(a => ((string?)a!["country"], (string?)a["subject"])),
                Is.EqualTo(new[] { ("GB", "officer-9-GB"), ("PK", "officer-3-PK") }));
            Assert.That(status["assignees"]!.AsArray().Select(a => (string?)a!["subject"]), Is.EqualTo(new[] { "officer-9-GB", "officer-3-PK" }));
            Assert.That(history.Select(e => (string?)e!["type"]), Is.EqualTo(new[] { "CaseFiled", "AssigneeChanged", "AssigneeChanged", "AssigneeChanged" }));
            var change = history[2]!;
            Assert.That((string?)change["actor"]!["subject"], Is.EqualTo("officer-1-GB"));
            Assert.That((string?)change["data"]!["country"], Is.EqualTo("GB"));
            Assert.That((string?)change["data"]!["assignee"]!["subject"], Is.EqualTo("officer-9-GB"));
            Assert.That((string?)change["data"]!["previous"]!["subject"], Is.EqualTo("officer-7-GB"));
            Assert.That(history[1]!["data"]!["previous"], Is.Null);
            Assert.That((bool)verify["valid"]!, Is.True);
        });
    }

    [Test]
    public async Task Only_an_officer_of_that_country_assigns_and_the_write_needs_the_current_ETag()
    {
        var c = await CaseDriver.FileAsync(_api);
        var stale = c.ETag;
        await AssignedAsync(c, "GB", "officer-7-GB");

        var otherState = await AssignAsync(c, "GB", "officer-3-PK", "PK");
        var notAParty = await AssignAsync(c, "AE", "officer-1-AE", "AE");
        var thirdCountry = await AssignAsync(c, "US", "officer-1-US", "GB");
        var noIfMatch = await AssignAsync(c, "GB", "officer-8-GB", "GB", ifMatch: "");
        var staleIfMatch = await AssignAsync(c, "GB", "officer-8-GB", "GB", ifMatch: stale);
        var badCountry = await AssignAsync(c, "gb", "officer-8-GB", "GB");
        var emptySubject = await AssignAsync(c, "GB", "", "GB");
        var partner = await _api.ClientFor(Tokens.Partner("GB")).PutAsync($"/api/v1/cases/{c.Id}/assignees/GB", Cases.Json(new JsonObject { ["subject"] = "x" }));

        Assert.Multiple(() =>
        {
            Assert.That((int)otherState.StatusCode, Is.EqualTo(403), "Pakistan does not assign the UK's officer");
            Assert.That((int)notAParty.StatusCode, Is.EqualTo(404));
            Assert.That((int)thirdCountry.StatusCode, Is.EqualTo(403));
            Assert.That((int)noIfMatch.StatusCode, Is.EqualTo(428));
            Assert.That((int)staleIfMatch.StatusCode, Is.EqualTo(412));
            Assert.That((int)badCountry.StatusCode, Is.EqualTo(400));
            Assert.That((int)emptySubject.StatusCode, Is.EqualTo(400));
            Assert.That((int)partner.StatusCode, Is.EqualTo(403));
            Assert.That(c.ETag, Is.EqualTo("\"2\""), "nothing refused was recorded");
        });
    }

    [Test]
    public async Task An_officer_s_work_list_holds_their_cases_soonest_clock_first_and_their_clocks_due_within_a_period()
    {
        // D's full-request clock (s.74, 45 days) starts first, A's 20 days later, C's 40 days later; B has none.
        var a = await CaseDriver.FileAsync(_api);
        var b = await CaseDriver.FileAsync(_api);
        var c = await CaseDriver.FileAsync(_api);
        var d = await CaseDriver.FileAsync(_api);
        var e = await CaseDriver.FileAsync(_api);
        await d.FireAsync("GB", "ProvisionalArrest");
        Days(20);
        await a.FireAsync("GB", "ProvisionalArrest");
        await e.FireAsync("GB", "ProvisionalArrest");
        Days(20);
        await c.FireAsync("GB", "ProvisionalArrest");
        Days(12); // day 52: D's clock ran out a week ago, A's is due in about 12 days, C's in about 32.
        foreach (var mine in new[] { b, c, a, d }) await AssignedAsync(mine, "GB", "officer-1-GB");
        await AssignedAsync(e, "GB", "officer-2-GB");
        await AssignedAsync(a, "PK", "officer-1-PK");

        var gb = _api.ClientFor(Tokens.Officer("GB"));
        var cases = (await gb.GetFromJsonAsync<JsonObject>("/api/v1/cases?assignee=me"))!;
        var first = (await gb.GetFromJsonAsync<JsonObject>("/api/v1/cases?assignee=me&limit=3"))!;
        var second = (await gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases?assignee=me&limit=3&cursor={first["nextCursor"]}"))!;
        var overdue = (await gb.GetFromJsonAsync<JsonObject>("/api/v1/cases?assignee=me&overdue=true"))!;
        var pk = (await _api.ClientFor(Tokens.Officer("PK")).GetFromJsonAsync<JsonObject>("/api/v1/cases?assignee=me"))!;
        var colleague = (await _api.ClientFor(Tokens.Officer("GB", "officer-2")).GetFromJsonAsync<JsonObject>("/api/v1/cases?assignee=me"))!;
        var clocks = (await gb.GetFromJsonAsync<JsonObject>("/api/v1/deadlines?assignee=me&dueWithin=P14D"))!;
        var clocksWithinFiveWeeks = (await gb.GetFromJsonAsync<JsonObject>("/api/v1/deadlines?assignee=me&dueWithin=P5W"))!;
        var allClocks = (await gb.GetFromJsonAsync<JsonObject>("/api/v1/deadlines?dueWithin=P14D"))!;

        static string?[] Ids(JsonObject page, string member = "id") => [.. page["items"]!.AsArray().Select(i => (string?)i![member])];

        Assert.Multiple(() =>
        {
            Assert.That(Ids(cases), Is.EqualTo(new[] { d.Id, a.Id, c.Id, b.Id }), "soonest running clock first; no clock last");
            Assert.That(Ids(first).Concat(Ids(second)), Is.EqualTo(Ids(cases)), "the work list pages by its own keyset");
            Assert.That((string?)second["nextCursor"], Is.Null);
            Assert.That(Ids(overdue), Is.EqualTo(new[] { d.Id }));
            Assert.That(Ids(pk), Is.EqualTo(new[] { a.Id }), "each state's assignee has their own list");
            Assert.That(Ids(colleague), Is.EqualTo(new[] { e.Id }));
            Assert.That(Ids(clocks, "caseId"), Is.EqualTo(new[] { d.Id, a.Id }), "overdue and due within 14 days; C's is 32 days off");
            Assert.That(clocks["items"]!.AsArray().Select(i => (string?)i!["status"]), Is.EqualTo(new[] { "Missed", "Pending" }));
            Assert.That(Ids(clocksWithinFiveWeeks, "caseId"), Is.EqualTo(new[] { d.Id, a.Id, c.Id }));
            Assert.That(Ids(allClocks, "caseId"), Is.EqualTo(new[] { d.Id, a.Id, e.Id }).Or.EqualTo(new[] { d.Id, e.Id, a.Id }), "without assignee: every visible case");
        });
    }

    [TestCase("/api/v1/cases?assignee=someone", "assignee")]
    [TestCase("/api/v1/cases?assignee=me&cursor=Y2FzZTE6MTox", "cursor")]
    [TestCase("/api/v1/deadlines?assignee=ME", "assignee")]
    [TestCase("/api/v1/deadlines?dueWithin=P0D", "dueWithin")]
    [TestCase("/api/v1/deadlines?dueWithin=P1Y", "dueWithin")]
    [TestCase("/api/v1/deadlines?dueWithin=P1M", "dueWithin")]
    [TestCase("/api/v1/deadlines?dueWithin=P367D", "dueWithin")]
    [TestCase("/api/v1/deadlines?dueWithin=14", "dueWithin")]
    [TestCase("/api/v1/deadlines?dueWithin=P", "dueWithin")]
    [TestCase("/api/v1/deadlines?dueWithin=PT", "dueWithin")]
    [TestCase("/api/v1/deadlines?dueWithin=P-1D", "dueWithin")]
    public async Task A_work_list_query_it_cannot_read_is_a_400_naming_the_parameter(string url, string member)
    {
        var response = await _api.ClientFor(Tokens.Officer("GB")).GetAsync(url);
        var problem = await response.ReadObjectAsync();

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400), problem.ToJsonString());
            Assert.That(problem["errors"]!.AsObject().Select(p => p.Key), Does.Contain(member));
        });
    }

    [Test]
    public async Task Durations_in_weeks_days_and_hours_are_read_and_an_auditor_has_no_work_list()
    {
        var gb = _api.ClientFor(Tokens.Officer("GB"));
        var auditor = _api.ClientFor(Tokens.Auditor());

        Assert.Multiple(async () =>
        {
            foreach (var ok in new[] { "P14D", "P2W", "PT36H", "P1DT12H30M", "P366D", "PT90S" })
                Assert.That((int)(await gb.GetAsync($"/api/v1/deadlines?assignee=me&dueWithin={ok}")).StatusCode, Is.EqualTo(200), ok);
            Assert.That((int)(await auditor.GetAsync("/api/v1/cases?assignee=me")).StatusCode, Is.EqualTo(403));
            Assert.That((int)(await auditor.GetAsync("/api/v1/deadlines?assignee=me")).StatusCode, Is.EqualTo(403));
            Assert.That((int)(await auditor.GetAsync("/api/v1/deadlines?dueWithin=P14D")).StatusCode, Is.EqualTo(200));
        });
    }
}
