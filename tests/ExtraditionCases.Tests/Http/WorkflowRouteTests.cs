using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>Whole cases walked over HTTP, PK requesting and GB requested, along each route of the spec.</summary>
public sealed class WorkflowRouteTests
{
    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory();

    [TearDown]
    public void StopService() => _api.Dispose();

    private void Days(double days) => _api.Clock.Advance(TimeSpan.FromDays(days));

    private static string[] Names(JsonNode? array) => [.. array!.AsArray().Select(n => (string)n!)];

    [Test]
    public async Task A_case_goes_from_draft_to_surrender_by_the_standard_route()
    {
        var c = await CaseDriver.FileAsync(_api);

        await c.FireAsync("PK", "Submit");
        await c.FireAsync("GB", "Certify", new JsonObject { ["certificateReference"] = "S70-2026-1" });
        await c.FireAsync("GB", "IssueWarrant", new JsonObject { ["warrantReference"] = "S71-1", ["court"] = "Westminster Magistrates' Court" });
        Days(3);
        var arrested = await c.FireAsync("GB", "Arrest");
        Assert.That(arrested["deadlines"]!.AsArray().Select(d => (string?)d!["kind"]), Does.Contain("HearingStart"));
        Days(20);
        await c.FireAsync("GB", "OpenHearing");
        Days(30);
        await c.FireAsync("GB", "SendToExecutive");
        Days(20);
        var ordered = await c.FireAsync("GB", "OrderExtradition", new JsonObject { ["specialityAssuranceReference"] = "SA-1" });
        Assert.That(Names(ordered["allowedActions"]), Does.Not.Contain("ArrangeSurrender"), "the appeal window is still open");
        Days(15);
        await c.FireAsync("GB", "ArrangeSurrender", new JsonObject { ["scheduledFor"] = "2027-02-01T10:00:00Z", ["place"] = "Heathrow" });
        Days(2);
        var surrendered = await c.FireAsync("GB", "Surrender");

        Assert.Multiple(() =>
        {
            Assert.That((string?)surrendered["state"], Is.EqualTo("Surrendered"));
            Assert.That((int?)surrendered["version"], Is.EqualTo(10), "filed plus nine steps");
            Assert.That(c.ETag, Is.EqualTo("\"10\""));
            Assert.That(surrendered["deadlines"]!.AsArray().Single(d => (string?)d!["kind"] == "Surrender")!["status"]!.ToString(), Is.EqualTo("Met"));
            Assert.That(Names(surrendered["allowedActions"]), Is.EqualTo(new[] { "Close" }));
        });
    }

    [Test]
    public async Task A_case_goes_through_provisional_arrest()
    {
        var c = await CaseDriver.FileAsync(_api);

        var arrested = await c.FireAsync("GB", "ProvisionalArrest", new JsonObject { ["court"] = "Westminster" });
        Assert.That(arrested["deadlines"]![0]!["kind"]!.ToString(), Is.EqualTo("FullRequest"));
        Days(30);
        await c.FireAsync("GB", "ReceiveFullRequest", new JsonObject { ["certificateReference"] = "S70-1" });
        Days(10);
        await c.FireAsync("GB", "OpenHearing");
        await c.FireAsync("GB", "Adjourn", new JsonObject { ["ground"] = "PhysicalOrMentalCondition" });
        Days(10);
        await c.FireAsync("GB", "OpenHearing");
        await c.FireAsync("GB", "SendToExecutive");
        Days(10);
        await c.FireAsync("GB", "OrderExtradition");
        Days(15);
        await c.FireAsync("PK", "ArrangeSurrender", new JsonObject { ["scheduledFor"] = "2027-01-10T10:00:00Z" });
        var surrendered = await c.FireAsync("GB", "Surrender");
        var closed = await c.FireAsync("PK", "Close", new JsonObject { ["ground"] = "Completed" });

        Assert.Multiple(() =>
        {
            Assert.That((string?)surrendered["state"], Is.EqualTo("Surrendered"));
            Assert.That((string?)closed["state"], Is.EqualTo("Closed"));
            Assert.That(closed["allowedActions"]!.AsArray(), Is.Empty);
        });
    }

    [Test]
    public async Task A_case_goes_through_consent()
    {
        var c = await CaseDriver.FileAsync(_api);

        await c.FireAsync("GB", "ProvisionalArrest");
        Days(2);
        var consented = await c.FireAsync("GB", "RecordConsent", new JsonObject { ["written"] = true, ["legallyRepresented"] = true });
        Assert.That(consented["deadlines"]!.AsArray().Single(d => (string?)d!["kind"] == "FullRequest")!["status"]!.ToString(), Is.EqualTo("Cancelled"));
        Days(5);
        var ordered = await c.FireAsync("GB", "OrderExtradition");
        Assert.That(Names(ordered["allowedActions"]), Does.Contain("ArrangeSurrender").And.Not.Contain("LodgeAppeal"), "consent bars appeal");
        await c.FireAsync("GB", "ArrangeSurrender", new JsonObject { ["scheduledFor"] = "2026-12-20T10:00:00Z" });
        var surrendered = await c.FireAsync("GB", "Surrender");

        Assert.That((string?)surrendered["state"], Is.EqualTo("Surrendered"));
    }

    [Test]
    public async Task A_case_goes_through_appeal_and_remittal()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");
        await c.FireAsync("GB", "ReceiveFullRequest", new JsonObject { ["certificateReference"] = "S70-1" });
        await c.FireAsync("GB", "OpenHearing");
        await c.FireAsync("GB", "SendToExecutive");
        Days(10);
        await c.FireAsync("GB", "OrderExtradition");
        Days(5);

        await c.FireAsync("GB", "LodgeAppeal", new JsonObject { ["appellant"] = "Person", ["court"] = "High Court" });
        Days(60);
        var remitted = await c.FireAsync("GB", "RemitCase");
        Assert.That((string?)remitted["state"], Is.EqualTo("ExtraditionHearing"));
        await c.FireAsync("GB", "SendToExecutive");
        Days(10);
        await c.FireAsync("GB", "OrderExtradition");
        Days(3);
        await c.FireAsync("GB", "LodgeAppeal", new JsonObject { ["appellant"] = "Person" });
        Days(40);
        var dismissed = await c.FireAsync("GB", "DismissAppeal", new JsonObject { ["court"] = "High Court" });
        Assert.That(dismissed["deadlines"]!.AsArray().Select(d => (string?)d!["kind"]), Does.Contain("SurrenderAfterAppeal"));
        Days(15); // the decision is final once the LeaveToAppeal window (s.114) ends unused
        await c.FireAsync("GB", "ArrangeSurrender", new JsonObject { ["scheduledFor"] = "2027-06-01T10:00:00Z" });
        var surrendered = await c.FireAsync("GB", "Surrender");

        Assert.That((string?)surrendered["state"], Is.EqualTo("Surrendered"));
    }

    [Test]
    public async Task Every_trigger_of_the_spec_table_works_over_HTTP()
    {
        var fired = new HashSet<string>();
        async Task<JsonObject> Fire(CaseDriver c, string country, string trigger, JsonObject? data = null)
        {
            fired.Add(trigger);
            return await c.FireAsync(country, trigger, data);
        }

        // Returned for correction, resubmitted, refused, closed.
        var refused = await CaseDriver.FileAsync(_api);
        await Fire(refused, "PK", "Submit");
        await Fire(refused, "GB", "ReturnForCorrection", new JsonObject { ["reason"] = "Warrant translation missing" });
        await Fire(refused, "PK", "Submit");
        await Fire(refused, "GB", "RefuseCertification", new JsonObject { ["reason"] = "Dual criminality not met" });
        Assert.That((string?)(await Fire(refused, "GB", "Close", new JsonObject { ["ground"] = "Lapsed" }))["state"], Is.EqualTo("Closed"));

        // Deferred and resumed, ordered, postponed and lifted, discharged by the High Court.
        var deferred = await CaseDriver.FileAsync(_api);
        await Fire(deferred, "GB", "ProvisionalArrest");
        await Fire(deferred, "GB", "ReceiveFullRequest", new JsonObject { ["certificateReference"] = "S70-1" });
        await Fire(deferred, "GB", "Adjourn", new JsonObject { ["ground"] = "UkCharge" });
        await Fire(deferred, "GB", "OpenHearing");
        await Fire(deferred, "GB", "SendToExecutive");
        await Fire(deferred, "GB", "DeferDecision", new JsonObject { ["ground"] = "UkSentence" });
        await Fire(deferred, "GB", "ResumeDecision");
        await Fire(deferred, "GB", "RecordConsent", new JsonObject { ["written"] = true, ["legallyRepresented"] = true });
        await Fire(deferred, "GB", "OrderExtradition");
        await Fire(deferred, "GB", "PostponeSurrender", new JsonObject { ["ground"] = "AsylumClaim" });
        await Fire(deferred, "GB", "LiftPostponement");
        var discharged = await Fire(deferred, "GB", "Discharge", new JsonObject { ["by"] = "HighCourt", ["ground"] = "Oppression (s.82)" });
        Assert.That((string?)discharged["state"], Is.EqualTo("Discharged"));

        // Discharged at the hearing; the requesting state appeals and wins; the person appeals and wins.
        var appealed = await CaseDriver.FileAsync(_api);
        await Fire(appealed, "GB", "ProvisionalArrest");
        await Fire(appealed, "GB", "ReceiveFullRequest", new JsonObject { ["certificateReference"] = "S70-1" });
        await Fire(appealed, "GB", "OpenHearing");
        await Fire(appealed, "GB", "Discharge", new JsonObject { ["by"] = "Judge", ["ground"] = "Passage of time (s.82)", ["section"] = "82" });
        await Fire(appealed, "PK", "LodgeAppeal", new JsonObject { ["appellant"] = "RequestingState", ["court"] = "High Court" });
        var reopened = await Fire(appealed, "GB", "AllowAppeal", new JsonObject { ["court"] = "High Court" });
        Assert.That((string?)reopened["state"], Is.EqualTo("ExtraditionHearing"));
        await Fire(appealed, "GB", "SendToExecutive");
        await Fire(appealed, "GB", "OrderExtradition");
        await Fire(appealed, "GB", "LodgeAppeal", new JsonObject { ["appellant"] = "Person" });
        Assert.That((string?)(await Fire(appealed, "GB", "AllowAppeal"))["state"], Is.EqualTo("Discharged"));

        // The standard route for the rest, and a withdrawal.
        var surrendered = await CaseDriver.FileAsync(_api);
        await Fire(surrendered, "PK", "Submit");
        await Fire(surrendered, "GB", "Certify", new JsonObject { ["certificateReference"] = "S70-2" });
        await Fire(surrendered, "GB", "IssueWarrant", new JsonObject { ["warrantReference"] = "S71-2", ["court"] = "Westminster" });
        await Fire(surrendered, "GB", "Arrest");
        await Fire(surrendered, "GB", "OpenHearing");
        await Fire(surrendered, "GB", "SendToExecutive");
        await Fire(surrendered, "GB", "OrderExtradition");
        await Fire(surrendered, "GB", "LodgeAppeal", new JsonObject { ["appellant"] = "Person" });
        await Fire(surrendered, "GB", "DismissAppeal");
        await Fire(surrendered, "GB", "LodgeAppeal", new JsonObject { ["appellant"] = "Person", ["lateGround"] = "New evidence" });
        await Fire(surrendered, "GB", "RemitCase");
        await Fire(surrendered, "GB", "SendToExecutive");
        await Fire(surrendered, "GB", "OrderExtradition");
        Days(15);
        await Fire(surrendered, "PK", "ArrangeSurrender", new JsonObject { ["scheduledFor"] = "2027-01-10T10:00:00Z" });
        await Fire(surrendered, "GB", "Surrender");
        var withdrawn = await CaseDriver.FileAsync(_api);
        await Fire(withdrawn, "PK", "Withdraw", new JsonObject { ["reason"] = "Charges dropped" });

        Assert.That(fired, Is.EquivalentTo(Enum.GetNames<ExtraditionCases.Domain.Workflow.WorkflowTrigger>()));
    }

    [Test]
    public async Task A_trigger_not_permitted_in_the_state_is_409_with_allowed_actions()
    {
        var c = await CaseDriver.FileAsync(_api);

        var response = await c.SendAsync("GB", "Surrender");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var problem = await response.ReadObjectAsync();
        Assert.That(Names(problem["allowedActions"]), Is.EquivalentTo(new[] { "ProvisionalArrest", "Discharge" }));
    }

    [Test]
    public async Task A_stale_if_match_is_412_and_a_missing_one_is_428()
    {
        var c = await CaseDriver.FileAsync(_api);

        var missing = await c.SendAsync("PK", "Submit", ifMatch: "");
        var star = await c.SendAsync("PK", "Submit", ifMatch: "*");
        var stale = await c.SendAsync("PK", "Submit", ifMatch: "\"7\"");

        Assert.Multiple(() =>
        {
            Assert.That(missing.StatusCode, Is.EqualTo((HttpStatusCode)428));
            Assert.That(star.StatusCode, Is.EqualTo((HttpStatusCode)428));
            Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
            Assert.That(stale.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        });
    }

    [Test]
    public async Task A_failed_guard_is_422_with_unmet_guards_and_changes_nothing()
    {
        var body = Cases.NewCase();
        body.Remove("warrant");
        var c = await CaseDriver.FileAsync(_api, body);

        var response = await c.SendAsync("PK", "Submit");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var problem = await response.ReadObjectAsync();
        Assert.That(Names(problem["unmetGuards"]).Single(), Does.StartWith("the case file is complete"));
        var read = await _api.ClientFor(Tokens.Officer("PK")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}");
        Assert.That((int?)read!["version"], Is.EqualTo(1));
    }

    [Test]
    public async Task The_other_states_officer_firing_a_trigger_is_403()
    {
        var c = await CaseDriver.FileAsync(_api);

        var byRequested = await c.SendAsync("GB", "Submit");
        var byRequesting = await c.SendAsync("PK", "ProvisionalArrest");

        Assert.Multiple(() =>
        {
            Assert.That(byRequested.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(byRequesting.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task Trigger_data_that_does_not_match_the_spec_is_400_naming_the_member()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");

        var wrongType = await c.SendAsync("GB", "RecordConsent", new JsonObject { ["written"] = "yes", ["legallyRepresented"] = true });
        var unknown = await c.SendAsync("GB", "RecordConsent", new JsonObject { ["written"] = true, ["legallyRepresented"] = true, ["mood"] = "calm" });
        var missing = await c.SendAsync("GB", "Adjourn", new JsonObject());
        var badEnum = await c.SendAsync("GB", "Discharge", new JsonObject { ["by"] = "Police", ["ground"] = "x" });
        var unknownTrigger = await c.SendAsync("GB", "Teleport");

        Assert.Multiple(async () =>
        {
            Assert.That((await wrongType.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("data.written"), Is.True);
            Assert.That((await unknown.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("data.mood"), Is.True);
            Assert.That((await missing.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("data.ground"), Is.True);
            Assert.That((await badEnum.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("data.by"), Is.True);
            Assert.That((await unknownTrigger.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("trigger"), Is.True);
        });
    }

    [Test]
    public async Task Errors_come_in_the_contracts_order()
    {
        var c = await CaseDriver.FileAsync(_api);

        // A third state's officer with a broken body: 404 wins over 400.
        var thirdState = await c.SendAsync("FR", "NotATrigger", ifMatch: "");
        // Bad data and no If-Match: 400 wins over 428.
        var badAndUnconditional = await c.SendAsync("GB", "Adjourn", new JsonObject { ["ground"] = "Boredom" }, ifMatch: "");
        // Stale tag on a trigger the state does not permit: 412 wins over 409.
        var staleAndNotPermitted = await c.SendAsync("GB", "Surrender", ifMatch: "\"9\"");
        // Not permitted and the wrong state's: 409 wins over 403.
        var notPermittedAndNotYours = await c.SendAsync("PK", "Surrender");

        Assert.Multiple(() =>
        {
            Assert.That(thirdState.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(badAndUnconditional.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(staleAndNotPermitted.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
            Assert.That(notPermittedAndNotYours.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        });
    }

    [Test]
    public async Task Partners_and_auditors_fire_nothing()
    {
        var c = await CaseDriver.FileAsync(_api);
        var request = (string token) => _api.ClientFor(token).PostAsync($"/api/v1/cases/{c.Id}/transitions",
            Cases.Json(new JsonObject { ["trigger"] = "Submit" }));

        var partner = await request(Tokens.Partner("PK"));
        var auditor = await request(Tokens.Auditor("PK"));

        Assert.Multiple(() =>
        {
            Assert.That(partner.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(auditor.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task Patching_the_case_file_records_a_CaseUpdated_version()
    {
        var c = await CaseDriver.FileAsync(_api);

        var response = await c.PatchAsync("GB", new JsonObject
        {
            ["person"] = new JsonObject { ["placeOfBirth"] = "لاہور", ["aliases"] = new JsonArray("M. Ali") },
            ["requestingAuthority"] = "Ministry of Interior",
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var patched = await response.ReadObjectAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int?)patched["version"], Is.EqualTo(2));
            Assert.That(response.Headers.ETag!.Tag, Is.EqualTo("\"2\""));
            Assert.That((string?)patched["person"]!["placeOfBirth"], Is.EqualTo("لاہور"));
            Assert.That((string?)patched["person"]!["fullName"], Is.EqualTo(Cases.UrduName), "members not in the patch stay");
            Assert.That(Names(patched["person"]!["aliases"]), Is.EqualTo(new[] { "M. Ali" }), "arrays replace whole");
        });
    }

    [Test]
    public async Task Patching_fixed_members_or_making_the_case_invalid_is_400_and_an_ended_case_is_409()
    {
        var c = await CaseDriver.FileAsync(_api);

        var fixedMember = await c.PatchAsync("GB", new JsonObject { ["requestedState"] = "FR" });
        var invalid = await c.PatchAsync("GB", new JsonObject { ["person"] = new JsonObject { ["fullName"] = null } });
        var unconditional = await c.PatchAsync("GB", new JsonObject { ["requestingAuthority"] = "MOI" }, ifMatch: "");
        await c.FireAsync("PK", "Withdraw", new JsonObject { ["reason"] = "Charges dropped" });
        var ended = await c.PatchAsync("GB", new JsonObject { ["requestingAuthority"] = "MOI" });
        // A patch that would change nothing is no exception: an ended case cannot be patched at all.
        var endedEmpty = await c.PatchAsync("GB", []);
        var endedUnchanged = await c.PatchAsync("PK", new JsonObject { ["basis"] = "Treaty" });

        Assert.Multiple(() =>
        {
            Assert.That(fixedMember.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(unconditional.StatusCode, Is.EqualTo((HttpStatusCode)428));
            Assert.That(ended.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(endedEmpty.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(endedUnchanged.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        });
    }

    [Test]
    public async Task A_court_extension_extends_a_pending_clock_and_a_met_clock_is_409()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");
        await c.FireAsync("GB", "ReceiveFullRequest", new JsonObject { ["certificateReference"] = "S70-1" });

        var extended = await c.ExtendAsync("GB", "HearingStart", "2027-03-01T00:00:00Z");
        var byRequesting = await c.ExtendAsync("PK", "HearingStart", "2027-04-01T00:00:00Z");
        var metClock = await c.ExtendAsync("GB", "FullRequest", "2027-04-01T00:00:00Z");
        var unknownKind = await c.ExtendAsync("GB", "Tea", "2027-04-01T00:00:00Z");

        Assert.That(extended.StatusCode, Is.EqualTo(HttpStatusCode.OK), await extended.Content.ReadAsStringAsync());
        var clock = (await extended.ReadObjectAsync())["deadlines"]!.AsArray().Single(d => (string?)d!["kind"] == "HearingStart")!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)clock["status"], Is.EqualTo("Extended"));
            Assert.That((string?)clock["dueAt"], Is.EqualTo("2027-03-01T00:00:00.000Z"));
            Assert.That(byRequesting.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(metClock.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(unknownKind.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task A_missed_clock_shows_in_deadlines_and_overdue_cases_by_time_alone()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");
        var quiet = await CaseDriver.FileAsync(_api);
        var gb = _api.ClientFor(Tokens.Officer("GB"));

        var before = await gb.GetFromJsonAsync<JsonObject>("/api/v1/cases?overdue=true");
        Days(46);
        var overdue = await gb.GetFromJsonAsync<JsonObject>("/api/v1/cases?overdue=true");
        var missed = await gb.GetFromJsonAsync<JsonObject>("/api/v1/deadlines?status=Missed");
        var pending = await gb.GetFromJsonAsync<JsonObject>("/api/v1/deadlines?status=Pending");
        var read = await gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}");

        Assert.Multiple(() =>
        {
            Assert.That(before!["items"]!.AsArray(), Is.Empty);
            Assert.That(overdue!["items"]!.AsArray().Select(i => (string?)i!["id"]), Is.EqualTo(new[] { c.Id }));
            Assert.That(missed!["items"]!.AsArray().Select(i => (string?)i!["kind"]), Is.EqualTo(new[] { "FullRequest" }));
            Assert.That((string?)missed["items"]![0]!["statute"], Is.EqualTo("Extradition Act 2003 s.74"));
            Assert.That(pending!["items"]!.AsArray(), Is.Empty);
            Assert.That((string?)read!["deadlines"]![0]!["status"], Is.EqualTo("Missed"));
            Assert.That((int?)read["version"], Is.EqualTo(2), "reading a missed clock writes nothing");
            Assert.That(quiet.Id, Is.Not.EqualTo(c.Id));
        });
    }

    [Test]
    public async Task A_case_whose_clock_was_met_late_is_overdue_while_open()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");
        await c.FireAsync("GB", "ReceiveFullRequest", new JsonObject { ["certificateReference"] = "S70-1" });
        Days(70);
        await c.FireAsync("GB", "OpenHearing"); // two months after the full request: HearingStart met late

        var overdue = await _api.ClientFor(Tokens.Officer("GB")).GetFromJsonAsync<JsonObject>("/api/v1/cases?overdue=true");

        Assert.That(overdue!["items"]!.AsArray().Select(i => (string?)i!["id"]), Is.EqualTo(new[] { c.Id }));
    }

    [Test]
    public async Task Deadlines_and_case_lists_reject_bad_query_parameters()
    {
        var gb = _api.ClientFor(Tokens.Officer("GB"));

        var responses = await Task.WhenAll(
            gb.GetAsync("/api/v1/deadlines?status=Late"),
            gb.GetAsync("/api/v1/deadlines?dueBefore=tomorrow"),
            gb.GetAsync("/api/v1/deadlines?limit=0"),
            gb.GetAsync("/api/v1/cases?limit=201"),
            gb.GetAsync("/api/v1/cases?cursor=%%%"),
            gb.GetAsync("/api/v1/cases?state=Sleeping"),
            gb.GetAsync("/api/v1/cases?overdue=maybe"));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task The_workflow_and_its_diagrams_come_from_the_machine()
    {
        var partner = _api.ClientFor(Tokens.Partner("PK"));

        var workflow = await partner.GetFromJsonAsync<JsonObject>("/api/v1/workflow");
        var mermaid = await partner.GetStringAsync("/api/v1/workflow/diagram?format=mermaid");
        var dot = await partner.GetStringAsync("/api/v1/workflow/diagram?format=dot");
        var bad = await partner.GetAsync("/api/v1/workflow/diagram?format=png");

        Assert.Multiple(() =>
        {
            Assert.That(workflow!["states"]!.AsArray(), Has.Count.EqualTo(19));
            Assert.That(workflow["triggers"]!.AsArray(), Has.Count.EqualTo(26));
            Assert.That(workflow["transitions"]!.AsArray().Any(t => (string?)t!["trigger"] == "Submit"
                && (string?)t["from"] == "Draft" && (string?)t["to"] == "UnderReview" && ((string?)t["guard"])!.Contains("case file", StringComparison.Ordinal)), Is.True);
            Assert.That(mermaid, Does.StartWith("stateDiagram-v2"));
            Assert.That(mermaid, Does.Contain("SurrenderArranged"));
            Assert.That(dot, Does.StartWith("digraph"));
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task The_workflow_names_each_guard_and_the_data_each_trigger_takes()
    {
        var workflow = (await _api.ClientFor(Tokens.Partner("PK")).GetFromJsonAsync<JsonObject>("/api/v1/workflow"))!;
        var transitions = workflow["transitions"]!.AsArray().Select(t => t!.AsObject()).ToList();
        var data = workflow["triggerData"]!.AsArray().Select(t => t!.AsObject()).ToDictionary(t => (string)t["trigger"]!);
        var submit = transitions.Single(t => (string?)t["trigger"] == "Submit");
        var order = transitions.Single(t => (string?)t["trigger"] == "OrderExtradition");
        var certify = data["Certify"]["data"]!.AsArray().Single()!;
        var adjourn = data["Adjourn"]["data"]!.AsArray().Single()!;

        Assert.Multiple(() =>
        {
            Assert.That(submit["guards"]!.AsArray().Select(g => (string?)g), Is.EqualTo(new[] { "CaseFileComplete" }));
            Assert.That(order["guards"]!.AsArray().Select(g => (string?)g), Is.EqualTo(new[] { "CaseFileComplete", "DeathPenaltyAssurance", "SpecialityArranged" }));
            Assert.That((string?)order["guard"], Does.Contain("s.94").And.Contain("s.95(1)-(2)"), "the full text stays");
            Assert.That(transitions.Where(t => (string?)t["trigger"] == "DismissAppeal").SelectMany(t => t["guards"]!.AsArray().Select(g => (string?)g)),
                Is.EquivalentTo(new[] { "PersonAppealed", "RequestingStateAppealed" }));
            Assert.That(data.Keys, Is.EquivalentTo(Enum.GetNames<ExtraditionCases.Domain.Workflow.WorkflowTrigger>()));
            Assert.That(data["Submit"]["data"]!.AsArray(), Is.Empty);
            Assert.That((string?)data["Certify"]["dataSchema"], Is.EqualTo("CertifyTransition"));
            Assert.That((string?)certify["name"], Is.EqualTo("certificateReference"));
            Assert.That((string?)certify["type"], Is.EqualTo("string"));
            Assert.That((bool?)certify["required"], Is.True);
            Assert.That((int?)certify["maxLength"], Is.EqualTo(500));
            Assert.That((string?)adjourn["type"], Is.EqualTo("enum"));
            Assert.That(adjourn["values"]!.AsArray().Select(v => (string?)v), Does.Contain("CompetingClaim"));
        });
    }

    [Test]
    public async Task Dot_is_text_vnd_graphviz_unless_the_caller_asked_for_text_plain_only()
    {
        var partner = _api.ClientFor(Tokens.Partner("PK"));
        async Task<string?> TypeFor(string? accept)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/workflow/diagram?format=dot");
            if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
            var response = await partner.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), accept);
            return response.Content.Headers.ContentType?.MediaType;
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await TypeFor(null), Is.EqualTo("text/vnd.graphviz"));
            Assert.That(await TypeFor("*/*"), Is.EqualTo("text/vnd.graphviz"));
            Assert.That(await TypeFor("text/vnd.graphviz"), Is.EqualTo("text/vnd.graphviz"));
            Assert.That(await TypeFor("text/plain"), Is.EqualTo("text/plain"));
            Assert.That(await TypeFor("text/plain, text/vnd.graphviz;q=0"), Is.EqualTo("text/plain"));
        });
    }
}
