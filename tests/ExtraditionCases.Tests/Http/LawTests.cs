using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// The corrected law (shared/domain/extradition-workflow.md), point by point through HTTP, with dates on
/// the boundaries: the last day in, the first day out, across a Europe/London clock change, a 31st.
/// The test clock stands at 2026-11-20T10:00Z; steps are dated back with a note.
/// </summary>
public sealed class LawTests
{
    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory();

    [TearDown]
    public void StopService() => _api.Dispose();

    private static JsonObject Data(params (string Name, JsonNode? Value)[] members)
    {
        var data = new JsonObject();
        foreach (var (name, value) in members) data[name] = value;
        return data;
    }

    private static async Task<JsonObject> FireAt(CaseDriver c, string country, string trigger, string at, JsonObject? data = null)
    {
        var response = await c.SendAsync(country, trigger, data, occurredAt: at, note: "Recorded from the case file");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{trigger}: {text}");
        c.Keep(response);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<(int Status, JsonObject Body)> TryAt(CaseDriver c, string country, string trigger, string at, JsonObject? data = null)
    {
        var response = await c.SendAsync(country, trigger, data, occurredAt: at, note: "Recorded from the case file");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        c.Keep(response);
        return ((int)response.StatusCode, body);
    }

    private static JsonNode Clock(JsonObject view, string kind) =>
        view["deadlines"]!.AsArray().Last(d => (string?)d!["kind"] == kind)!;

    private static IEnumerable<string> Unmet(JsonObject problem) => problem["unmetGuards"]!.AsArray().Select(g => (string)g!);

    /// <summary>Filed, submitted, certified, arrested, heard and sent to the executive, each on its date.</summary>
    private async Task<CaseDriver> AtExecutiveAsync(string requested = "GB", string basis = "Treaty", string sentAt = "2026-08-15T10:00:00Z")
    {
        var requesting = requested == "PK" ? "GB" : "PK";
        var body = Cases.NewCase(requesting, requested);
        body["basis"] = basis;
        var c = await CaseDriver.FileAsync(_api, body, requesting);
        await FireAt(c, requesting, "Submit", "2026-08-02T10:00:00Z");
        await FireAt(c, requested, "Certify", "2026-08-03T10:00:00Z", Data(("certificateReference", "S70-1")));
        await FireAt(c, requested, "IssueWarrant", "2026-08-04T10:00:00Z", Data(("warrantReference", "S71-1"), ("court", "Westminster")));
        await FireAt(c, requested, "Arrest", "2026-08-05T10:00:00Z");
        await FireAt(c, requested, "OpenHearing", "2026-08-06T10:00:00Z");
        await FireAt(c, requested, "SendToExecutive", sentAt);
        return c;
    }

    [Test]
    public async Task The_workflow_document_shows_the_corrected_guards_and_the_LeaveToAppeal_window()
    {
        var workflow = await _api.ClientFor(Tokens.Partner("PK")).GetStringAsync("/api/v1/workflow");

        Assert.Multiple(() =>
        {
            Assert.That(workflow, Does.Contain("LeaveToAppeal window (s.114)"));
            Assert.That(workflow, Does.Contain("consent given before the case was sent to the Secretary of State (s.95(1)-(2))"));
            Assert.That(workflow, Does.Contain("consent to the Secretary of State after the case was sent is in writing (s.127(3), (5))"));
            Assert.That(workflow, Does.Contain("RequestingStateAppealWindow"));
        });
    }

    // 1. Speciality and consent (ss.95(2), 127).

    [Test]
    public async Task Consent_to_the_Secretary_of_State_needs_writing_only_and_does_not_lift_the_speciality_bar()
    {
        var c = await AtExecutiveAsync(basis: "SpecialArrangement");

        var consented = await TryAt(c, "GB", "RecordConsent", "2026-08-20T10:00:00Z", Data(("written", true)));
        var order = await TryAt(c, "GB", "OrderExtradition", "2026-08-21T10:00:00Z");
        var assured = await TryAt(c, "GB", "OrderExtradition", "2026-08-21T10:00:00Z", Data(("specialityAssuranceReference", "SA-1")));

        Assert.Multiple(() =>
        {
            Assert.That(consented.Status, Is.EqualTo(200), "s.127(3): in writing; representation is for consent before the judge");
            Assert.That(order.Status, Is.EqualTo(422));
            Assert.That(Unmet(order.Body), Has.Some.Contains("s.95(1)-(2)"));
            Assert.That(assured.Status, Is.EqualTo(200));
        });
    }

    [Test]
    public async Task Consent_before_the_judge_lifts_the_speciality_bar_and_needs_representation()
    {
        var body = Cases.NewCase();
        body["basis"] = "SpecialArrangement";
        var c = await CaseDriver.FileAsync(_api, body);
        await FireAt(c, "GB", "ProvisionalArrest", "2026-08-02T10:00:00Z");

        var unrepresented = await TryAt(c, "GB", "RecordConsent", "2026-08-03T10:00:00Z", Data(("written", true)));
        await FireAt(c, "GB", "RecordConsent", "2026-08-03T10:00:00Z", Data(("written", true), ("legallyRepresented", true)));
        var order = await TryAt(c, "GB", "OrderExtradition", "2026-08-10T10:00:00Z");

        Assert.Multiple(() =>
        {
            Assert.That(unrepresented.Status, Is.EqualTo(422));
            Assert.That(Unmet(unrepresented.Body), Has.Some.Contains("s.127(6)-(7)"));
            Assert.That(order.Status, Is.EqualTo(200), "consent before the case was sent lifts the bar (s.95(2))");
        });
    }

    // 2. Death penalty (s.94): stated on every offence; after Certify only the requested state changes offences.

    [Test]
    public async Task An_offence_without_deathPenalty_is_400_naming_it_at_filing_and_in_a_patch()
    {
        var officer = _api.ClientFor(Tokens.Officer("PK"));
        var body = Cases.NewCase();
        body["offences"]![0]!.AsObject().Remove("deathPenalty");
        var filing = await officer.PostAsync("/api/v1/cases", Cases.Json(body));
        var c = await CaseDriver.FileAsync(_api);
        var patch = await c.PatchAsync("GB", new JsonObject
        {
            ["offences"] = new JsonArray(new JsonObject { ["description"] = "Fraud", ["statute"] = "PPC s.420", ["maxPenaltyMonths"] = 84 }),
        });

        var filingErrors = (await filing.ReadObjectAsync())["errors"]!.AsObject().Select(e => e.Key);
        var patchErrors = (await patch.ReadObjectAsync())["errors"]!.AsObject().Select(e => e.Key);
        Assert.Multiple(() =>
        {
            Assert.That(filing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(filingErrors, Has.Some.Contains("deathPenalty").IgnoreCase);
            Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(patchErrors, Has.Some.Contains("deathPenalty").IgnoreCase);
        });
    }

    [Test]
    public async Task After_Certify_only_the_requested_states_officers_change_an_offence_and_the_change_is_recorded()
    {
        var c = await CaseDriver.FileAsync(_api);
        await FireAt(c, "PK", "Submit", "2026-08-02T10:00:00Z");
        await FireAt(c, "GB", "Certify", "2026-08-03T10:00:00Z", Data(("certificateReference", "S70-1")));
        var offences = Cases.NewCase()["offences"]!.DeepClone().AsArray();
        offences[0]!["deathPenalty"] = true;

        var byRequesting = await c.PatchAsync("PK", new JsonObject { ["offences"] = offences.DeepClone() });
        var authorityByRequesting = await c.PatchAsync("PK", new JsonObject { ["requestingAuthority"] = "Ministry of Interior" });
        var byRequested = await c.PatchAsync("GB", new JsonObject { ["offences"] = offences.DeepClone() });
        var history = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history");

        var changes = history!["events"]!.AsArray()[^1]!["data"]!["changes"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(byRequesting.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(authorityByRequesting.StatusCode, Is.EqualTo(HttpStatusCode.OK), "other case-file edits stay open to both states");
            Assert.That(byRequested.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(changes.Select(x => ((string?)x!["path"], x["old"]?.ToJsonString(), x["new"]?.ToJsonString())),
                Is.EqualTo(new[] { ((string?)"/offences/0/deathPenalty", (string?)"false", (string?)"true") }), "only the member that changed");
        });
    }

    // 3. Completeness at Submit, Certify, ReceiveFullRequest and OrderExtradition; edits after submission.

    [Test]
    public async Task A_submitted_file_cannot_be_edited_into_incompleteness_and_no_order_without_a_complete_file()
    {
        var c = await CaseDriver.FileAsync(_api);
        await FireAt(c, "PK", "Submit", "2026-08-02T10:00:00Z");
        var emptied = await c.PatchAsync("GB", new JsonObject { ["offences"] = new JsonArray() });

        // A draft may be incomplete; a provisional arrest and consent can carry it to the executive.
        var draft = Cases.NewCase();
        draft["offences"] = new JsonArray();
        var d = await CaseDriver.FileAsync(_api, draft);
        await FireAt(d, "GB", "ProvisionalArrest", "2026-08-02T10:00:00Z");
        var received = await TryAt(d, "GB", "ReceiveFullRequest", "2026-08-03T10:00:00Z", Data(("certificateReference", "S70-1")));
        await FireAt(d, "GB", "RecordConsent", "2026-08-03T10:00:00Z", Data(("written", true), ("legallyRepresented", true)));
        var order = await TryAt(d, "GB", "OrderExtradition", "2026-08-10T10:00:00Z");

        Assert.Multiple(async () =>
        {
            Assert.That(emptied.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(Unmet(await emptied.ReadObjectAsync()), Has.Some.Contains("offences"));
            Assert.That(received.Status, Is.EqualTo(422));
            Assert.That(order.Status, Is.EqualTo(422));
            Assert.That(Unmet(order.Body), Has.Some.Contains("the case file is complete"));
        });
    }

    // 4. Extensions only where a statute gives the power.

    [Test]
    public async Task Only_HearingStart_and_ExecutiveDecision_can_be_extended()
    {
        var c = await AtExecutiveAsync(sentAt: "2026-11-19T10:00:00Z");
        await c.FireAsync("GB", "OrderExtradition");

        var appeal = await c.ExtendAsync("GB", "AppealWindow", "2027-01-01T00:00:00Z");
        var surrender = await c.ExtendAsync("GB", "Surrender", "2027-01-01T00:00:00Z");
        var d = await AtExecutiveAsync(sentAt: "2026-11-19T10:00:00Z");
        var decision = await d.ExtendAsync("GB", "ExecutiveDecision", "2027-03-01T00:00:00Z");

        Assert.Multiple(async () =>
        {
            Assert.That(appeal.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(Unmet(await appeal.ReadObjectAsync()), Has.Some.Contains("lateGround"));
            Assert.That(surrender.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(decision.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    // 5. Finality (ss.114, 118).

    [Test]
    public async Task A_dismissed_appeal_runs_LeaveToAppeal_then_surrender_after_appeal_from_the_day_after_it_ends()
    {
        var c = await AtExecutiveAsync();
        await FireAt(c, "GB", "OrderExtradition", "2026-09-01T10:00:00Z");
        await FireAt(c, "GB", "LodgeAppeal", "2026-09-05T10:00:00Z", Data(("appellant", "Person")));
        // Dismissed on 18 October: 14 days starting with it end with 31 October, across the clock change of 25 October.
        var dismissed = await FireAt(c, "GB", "DismissAppeal", "2026-10-18T10:00:00Z");
        var early = await TryAt(c, "GB", "ArrangeSurrender", "2026-10-31T22:00:00Z", Data(("scheduledFor", "2026-11-25T10:00:00Z")));
        var arranged = await TryAt(c, "GB", "ArrangeSurrender", "2026-11-01T00:00:01Z", Data(("scheduledFor", "2026-11-25T10:00:00Z")));

        var leave = Clock(dismissed, "LeaveToAppeal");
        var after = Clock(dismissed, "SurrenderAfterAppeal");
        Assert.Multiple(() =>
        {
            Assert.That((string?)leave["dueAt"], Is.EqualTo("2026-11-01T00:00:00.000Z"), "end of 31 October, GMT after the change");
            Assert.That((string?)leave["statute"], Is.EqualTo("Extradition Act 2003 s.114"));
            Assert.That((string?)after["startedAt"], Is.EqualTo("2026-11-01T00:00:00.000Z"), "the day the decision becomes final");
            Assert.That((string?)after["dueAt"], Is.EqualTo("2026-11-29T00:00:00.000Z"), "28 days starting with 1 November");
            Assert.That((string?)after["status"], Is.EqualTo("Pending"), "not a false Missed");
            Assert.That(early.Status, Is.EqualTo(422), "the last day of the leave window: not yet final");
            Assert.That(Unmet(early.Body), Has.Some.Contains("s.114"));
            Assert.That(arranged.Status, Is.EqualTo(200), "the first day after it");
        });
    }

    [Test]
    public async Task An_onward_appeal_within_the_leave_window_needs_no_late_ground_and_cancels_surrender_after_appeal()
    {
        var inTime = await AtExecutiveAsync();
        var late = await AtExecutiveAsync();
        foreach (var c in new[] { inTime, late })
        {
            await FireAt(c, "GB", "OrderExtradition", "2026-09-01T10:00:00Z");
            await FireAt(c, "GB", "LodgeAppeal", "2026-09-05T10:00:00Z", Data(("appellant", "Person")));
            await FireAt(c, "GB", "DismissAppeal", "2026-10-18T10:00:00Z");
        }

        var onward = await FireAt(inTime, "GB", "LodgeAppeal", "2026-10-31T23:59:59Z", Data(("appellant", "Person"), ("court", "Supreme Court")));
        var tooLate = await TryAt(late, "GB", "LodgeAppeal", "2026-11-01T00:00:01Z", Data(("appellant", "Person")));

        Assert.Multiple(() =>
        {
            Assert.That((string?)Clock(onward, "LeaveToAppeal")["status"], Is.EqualTo("Met"));
            Assert.That((string?)Clock(onward, "SurrenderAfterAppeal")["status"], Is.EqualTo("Cancelled"));
            Assert.That(tooLate.Status, Is.EqualTo(422), "the first instant after the window needs a late ground");
        });
    }

    // 6. Counting: PK and US periods run after the event; GB periods start with it.

    [Test]
    public async Task Pakistan_committal_on_15_August_ends_at_the_end_of_15_October()
    {
        var c = await AtExecutiveAsync(requested: "PK", sentAt: "2026-08-15T10:00:00Z");
        var view = (await _api.ClientFor(Tokens.Officer("PK")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}"))!;

        Assert.That((string?)Clock(view, "Surrender")["dueAt"], Is.EqualTo("2026-10-15T19:00:00.000Z"), "midnight in Karachi ending 15 October");
    }

    [Test]
    public async Task United_States_commitment_on_the_31st_of_August_ends_with_the_31st_of_October_and_GB_starts_with_the_day()
    {
        var us = await AtExecutiveAsync(requested: "US", sentAt: "2026-08-31T15:00:00Z");
        var gb = await AtExecutiveAsync(sentAt: "2026-09-15T10:00:00Z");
        var ordered = await FireAt(gb, "GB", "OrderExtradition", "2026-10-20T10:00:00Z");
        var usView = (await _api.ClientFor(Tokens.Officer("US")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{us.Id}"))!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)Clock(usView, "Surrender")["dueAt"], Is.EqualTo("2026-11-01T04:00:00.000Z"), "end of 31 October, New York daylight time");
            Assert.That((string?)Clock(ordered, "Surrender")["dueAt"], Is.EqualTo("2026-11-17T00:00:00.000Z"),
                "28 days starting with 20 October end with 16 November, GMT after the change");
        });
    }

    // 7. Requesting-state appeals: GB rules only, reading the RequestingStateAppealWindow clock.

    [Test]
    public async Task A_discharge_under_PK_rules_closes_at_once_and_under_GB_rules_waits_for_the_requesting_states_window()
    {
        var pk = await AtExecutiveAsync(requested: "PK");
        await FireAt(pk, "PK", "Discharge", "2026-09-01T10:00:00Z", Data(("by", "Executive"), ("ground", "s.7 bar")));
        var pkClosed = await TryAt(pk, "GB", "Close", "2026-09-01T11:00:00Z", Data(("ground", "Completed")));

        var gb = await AtExecutiveAsync();
        var discharged = await FireAt(gb, "GB", "Discharge", "2026-09-01T10:00:00Z",
            Data(("by", "Executive"), ("ground", "s.93 bar"), ("informedAt", "2026-09-03T09:00:00Z")));
        var tooEarly = await TryAt(gb, "GB", "Close", "2026-09-16T22:59:59Z", Data(("ground", "Completed")));
        var appeal = await TryAt(gb, "PK", "LodgeAppeal", "2026-09-16T22:59:59Z", Data(("appellant", "RequestingState")));

        var window = Clock(discharged, "RequestingStateAppealWindow");
        Assert.Multiple(() =>
        {
            Assert.That(pkClosed.Status, Is.EqualTo(200), "the 1972 Act gives no statutory appeal");
            Assert.That((string?)window["startedAt"], Is.EqualTo("2026-09-03T09:00:00.000Z"), "s.110(5): from when the requesting state was informed");
            Assert.That((string?)window["dueAt"], Is.EqualTo("2026-09-16T23:00:00.000Z"), "end of 16 September, London summer time");
            Assert.That(tooEarly.Status, Is.EqualTo(422));
            Assert.That(appeal.Status, Is.EqualTo(200), "the last second of the window");
        });
    }

    [Test]
    public async Task A_requesting_states_appeal_gives_no_late_ground_which_would_mean_nothing_in_law()
    {
        var gb = await AtExecutiveAsync();
        await FireAt(gb, "GB", "Discharge", "2026-09-01T10:00:00Z",
            Data(("by", "Executive"), ("ground", "s.93 bar"), ("informedAt", "2026-09-03T09:00:00Z")));

        // In time, so the ground would change nothing: refused rather than stored as if it had counted.
        var withGround = await TryAt(gb, "PK", "LodgeAppeal", "2026-09-10T10:00:00Z",
            Data(("appellant", "RequestingState"), ("lateGround", "Counsel was taken ill")));
        var without = await TryAt(gb, "PK", "LodgeAppeal", "2026-09-10T10:00:00Z", Data(("appellant", "RequestingState")));

        Assert.Multiple(() =>
        {
            Assert.That(withGround.Status, Is.EqualTo(422));
            Assert.That(Unmet(withGround.Body), Has.Some.Contains("no late ground"));
            Assert.That(without.Status, Is.EqualTo(200));
        });
    }

    // 8. Windows start when the person was informed and at the first appearance.

    [Test]
    public async Task The_appeal_window_runs_from_informedAt_and_the_hearing_clock_from_the_first_appearance()
    {
        var c = await CaseDriver.FileAsync(_api);
        await FireAt(c, "PK", "Submit", "2026-08-02T10:00:00Z");
        await FireAt(c, "GB", "Certify", "2026-08-03T10:00:00Z", Data(("certificateReference", "S70-1")));
        await FireAt(c, "GB", "IssueWarrant", "2026-08-04T10:00:00Z", Data(("warrantReference", "S71-1"), ("court", "Westminster")));
        var arrested = await FireAt(c, "GB", "Arrest", "2026-08-30T22:00:00Z", Data(("firstAppearanceAt", "2026-08-31T09:00:00Z")));
        await FireAt(c, "GB", "OpenHearing", "2026-09-01T10:00:00Z");
        await FireAt(c, "GB", "SendToExecutive", "2026-09-02T10:00:00Z");
        var ordered = await FireAt(c, "GB", "OrderExtradition", "2026-10-20T10:00:00Z", Data(("informedAt", "2026-10-22T08:00:00Z")));
        var future = await TryAt(c, "GB", "LodgeAppeal", "2026-10-23T10:00:00Z", Data(("appellant", "Person")));

        Assert.Multiple(() =>
        {
            Assert.That((string?)Clock(arrested, "HearingStart")["startedAt"], Is.EqualTo("2026-08-31T09:00:00.000Z"));
            Assert.That((string?)Clock(arrested, "HearingStart")["dueAt"], Is.EqualTo("2026-10-31T00:00:00.000Z"),
                "two months starting with 31 August end with 30 October (s.75(2)), GMT after the change");
            Assert.That((string?)Clock(ordered, "AppealWindow")["startedAt"], Is.EqualTo("2026-10-22T08:00:00.000Z"));
            Assert.That((string?)Clock(ordered, "AppealWindow")["dueAt"], Is.EqualTo("2026-11-05T00:00:00.000Z"), "14 days starting with 22 October");
            Assert.That(future.Status, Is.EqualTo(200));
        });
    }

    // The instant a period ends (dueAt, local midnight) is the first instant of the first day out: a step
    // "before the end of the permitted period" (ss.103(9), 108(4), 117(2)) is strictly before it. A date
    // recorded at midnight GMT is exactly that instant.

    [Test]
    public async Task A_step_dated_at_the_instant_a_period_ends_falls_on_the_first_day_out()
    {
        var appealed = await AtExecutiveAsync();
        var arranged = await AtExecutiveAsync();
        foreach (var c in new[] { appealed, arranged })
        {
            // 14 days starting with 22 October end with 4 November: dueAt 2026-11-05T00:00Z, midnight GMT.
            await FireAt(c, "GB", "OrderExtradition", "2026-10-20T10:00:00Z", Data(("informedAt", "2026-10-22T08:00:00Z")));
        }

        var appeal = await TryAt(appealed, "GB", "LodgeAppeal", "2026-11-05T00:00:00Z", Data(("appellant", "Person")));
        var arrangement = await TryAt(arranged, "GB", "ArrangeSurrender", "2026-11-05T00:00:00Z", Data(("scheduledFor", "2026-11-10T10:00:00Z")));
        // 28 days starting with 20 October end with 16 November: dueAt 2026-11-17T00:00Z (s.117).
        var surrender = await TryAt(arranged, "GB", "Surrender", "2026-11-17T00:00:00Z");
        var excused = await TryAt(arranged, "GB", "Surrender", "2026-11-17T00:00:00Z", Data(("reasonableCause", "Escort flight cancelled")));

        Assert.Multiple(() =>
        {
            Assert.That(appeal.Status, Is.EqualTo(422), "5 November is day 15: the appeal needs a late ground");
            Assert.That(arrangement.Status, Is.EqualTo(200), "the appeal window closed unused at the end of 4 November");
            Assert.That(surrender.Status, Is.EqualTo(422), "17 November is day 29 of the surrender period");
            Assert.That(excused.Status, Is.EqualTo(200));
            Assert.That((string?)Clock(excused.Body, "Surrender")["status"], Is.EqualTo("Missed"), "met on the first day out");
        });
    }

    [Test]
    public async Task A_requesting_states_appeal_dated_at_the_instant_its_window_ends_is_late_and_the_case_may_close()
    {
        var late = await AtExecutiveAsync(sentAt: "2026-10-01T10:00:00Z");
        var closed = await AtExecutiveAsync(sentAt: "2026-10-01T10:00:00Z");
        foreach (var c in new[] { late, closed })
        {
            // s.110(5): 14 days starting with 28 October end with 10 November: dueAt 2026-11-11T00:00Z.
            await FireAt(c, "GB", "Discharge", "2026-10-27T10:00:00Z",
                Data(("by", "Executive"), ("ground", "s.93 bar"), ("informedAt", "2026-10-28T09:00:00Z")));
        }

        var appeal = await TryAt(late, "PK", "LodgeAppeal", "2026-11-11T00:00:00Z", Data(("appellant", "RequestingState")));
        var close = await TryAt(closed, "GB", "Close", "2026-11-11T00:00:00Z", Data(("ground", "Completed")));

        Assert.Multiple(() =>
        {
            Assert.That(appeal.Status, Is.EqualTo(422), "11 November is day 15 (s.110(5))");
            Assert.That(close.Status, Is.EqualTo(200), "the window ended with 10 November");
        });
    }

    [Test]
    public async Task A_clock_reads_run_out_from_the_instant_its_period_ends_in_every_read()
    {
        var c = await AtExecutiveAsync(sentAt: "2026-11-19T10:00:00Z");
        await c.FireAsync("GB", "OrderExtradition"); // 20 November: the s.117 period ends with 17 December
        _api.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 18, 0, 0, 0, TimeSpan.Zero));
        var gb = _api.ClientFor(Tokens.Officer("GB"));

        var view = (await gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}"))!;
        var missed = (await gb.GetFromJsonAsync<JsonObject>("/api/v1/deadlines?status=Missed"))!;
        var pending = (await gb.GetFromJsonAsync<JsonObject>("/api/v1/deadlines?status=Pending"))!;
        var overdue = (await gb.GetFromJsonAsync<JsonObject>("/api/v1/cases?overdue=true"))!;
        var status = (await _api.ClientFor(Tokens.Partner("PK")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/status"))!;

        Assert.Multiple(() =>
        {
            Assert.That((string?)Clock(view, "Surrender")["dueAt"], Is.EqualTo("2026-12-18T00:00:00.000Z"));
            Assert.That((string?)Clock(view, "Surrender")["status"], Is.EqualTo("Missed"));
            Assert.That(missed["items"]!.AsArray().Select(i => (string?)i!["kind"]), Does.Contain("Surrender"));
            Assert.That(pending["items"]!.AsArray().Select(i => (string?)i!["kind"]), Does.Not.Contain("Surrender"));
            Assert.That(overdue["items"]!.AsArray().Select(i => (string?)i!["id"]), Does.Contain(c.Id));
            Assert.That(status["nextDeadline"], Is.Null, "no clock still runs");
        });
    }

    [Test]
    public async Task informedAt_before_the_step_or_in_the_future_is_refused()
    {
        var c = await AtExecutiveAsync();

        var before = await TryAt(c, "GB", "OrderExtradition", "2026-10-20T10:00:00Z", Data(("informedAt", "2026-10-19T10:00:00Z")));
        var future = await TryAt(c, "GB", "OrderExtradition", "2026-10-20T10:00:00Z", Data(("informedAt", "2026-11-21T10:00:00Z")));

        Assert.Multiple(() =>
        {
            Assert.That(before.Status, Is.EqualTo(422));
            Assert.That(Unmet(before.Body), Has.Some.Contains("informedAt is not before occurredAt"));
            Assert.That(future.Status, Is.EqualTo(422));
        });
    }

    // 9. Agencies.

    [Test]
    public async Task A_configured_state_lets_each_agency_record_only_its_own_triggers()
    {
        _api.Dispose();
        _api = new ApiFactory(new Dictionary<string, string?>
        {
            ["Agencies:GB:HO:0"] = "Certify",
            ["Agencies:GB:HO:1"] = "OrderExtradition",
            ["Agencies:GB:CPS:0"] = "OpenHearing",
            ["Agencies:GB:CPS:1"] = "Extend:HearingStart",
            ["Agencies:GB:NCA:0"] = "Arrest",
            ["Agencies:GB:NCA:1"] = "IssueWarrant",
        });
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("PK", "Submit");
        var nca = _api.ClientFor(Tokens.Officer("GB", agency: "NCA"));
        var seenByNca = (await nca.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}"))!;
        var seenByHo = (await _api.ClientFor(Tokens.Officer("GB", agency: "HO")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}"))!;

        var byOtherAgency = await c.SendAsync("GB", "Certify", Data(("certificateReference", "S70-1")));
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{c.Id}/transitions")
        {
            Content = Cases.Json(new JsonObject { ["trigger"] = "Certify", ["data"] = Data(("certificateReference", "S70-1")) }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", c.ETag);
        var byHo = await _api.ClientFor(Tokens.Officer("GB", agency: "HO")).SendAsync(request);
        var pkStillFree = await CaseDriver.FileAsync(_api);
        var withdrawn = await pkStillFree.SendAsync("PK", "Withdraw", Data(("reason", "Superseded")));

        Assert.Multiple(() =>
        {
            Assert.That(byOtherAgency.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "an agency GB does not list records nothing");
            Assert.That(byHo.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(seenByNca["allowedActions"]!.AsArray().Select(a => (string?)a), Does.Not.Contain("Certify"));
            Assert.That(seenByHo["allowedActions"]!.AsArray().Select(a => (string?)a), Does.Contain("Certify").And.Not.Contain("Discharge"));
            Assert.That(withdrawn.StatusCode, Is.EqualTo(HttpStatusCode.OK), "PK has no entry: any of its officers fires its triggers");
        });
    }

    // 10. Exact member names, and CaseUpdated records what changed.

    [Test]
    public async Task A_patch_member_spelled_otherwise_than_the_contract_is_400_and_an_unchanged_value_records_no_change()
    {
        var c = await CaseDriver.FileAsync(_api);

        var pascal = await c.PatchAsync("GB", new JsonObject { ["RequestedState"] = "US" });
        var nested = await c.PatchAsync("GB", new JsonObject { ["person"] = new JsonObject { ["FullName"] = "X" } });
        var same = await c.PatchAsync("GB", new JsonObject { ["basis"] = "Treaty", ["requestingAuthority"] = "MOI" });
        var history = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history");

        var events = history!["events"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(pascal.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(nested.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(same.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(events.Count, Is.EqualTo(2), "the refused patches wrote nothing");
            Assert.That(events[1]!["data"]!.ToJsonString(), Is.EqualTo("""{"changes":[{"path":"/requestingAuthority","old":null,"new":"MOI"}]}"""),
                "basis was sent but did not change");
        });
    }

    [Test]
    public async Task A_patch_that_changes_nothing_records_no_event_and_keeps_the_etag()
    {
        var c = await CaseDriver.FileAsync(_api);

        var noChange = await c.PatchAsync("GB", new JsonObject { ["basis"] = "Treaty" });
        var history = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history");

        Assert.Multiple(() =>
        {
            Assert.That(noChange.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(noChange.Headers.ETag?.Tag, Is.EqualTo("\"1\""), "the version the case already had");
            Assert.That(history!["events"]!.AsArray(), Has.Count.EqualTo(1), "only CaseFiled");
        });
    }

    [Test]
    public void An_agency_configuration_for_a_name_that_is_no_country_code_stops_the_start()
    {
        var configured = new Dictionary<string, Dictionary<string, List<string>>>
        {
            ["UK"] = new() { ["HO"] = ["Certify"] },
        };

        var refusal = Assert.Throws<InvalidOperationException>(() => AgencyPowers.From(configured));
        Assert.That(refusal!.Message, Does.Contain("Agencies:UK"));
    }

    // 11. Cases already recorded: the start-up step applies the corrected rules once.

    [Test]
    public async Task A_case_recorded_under_the_old_rules_gets_a_RulesApplied_event_when_the_service_starts()
    {
        var c = await AtExecutiveAsync(requested: "PK", sentAt: "2026-08-15T10:00:00Z");
        await using (var connection = new SqliteConnection($"Data Source={_api.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // As rules version 1 stored it: the s.12 period counted with the day of committal, and deathPenalty defaulted;
            // its events from before versions were stored (NULL, version 1), which the replay reads them under.
            command.CommandText = """
                UPDATE Deadlines SET DueAt = '2026-10-14T19:00:00.000Z' WHERE CaseId = $id AND Kind = 'Surrender';
                UPDATE Cases SET RulesVersion = 1 WHERE Id = $id;
                DROP TRIGGER IF EXISTS TR_CaseEvents_NoUpdate;
                UPDATE CaseEvents SET RulesVersion = NULL WHERE CaseId = $id;
                """;
            command.Parameters.AddWithValue("$id", c.Id);
            await command.ExecuteNonQueryAsync();
        }

        using var restarted = new ApiFactory(new Dictionary<string, string?> { ["ConnectionStrings:Cases"] = $"Data Source={_api.DatabasePath}" });
        var auditor = restarted.ClientFor(Tokens.Auditor());
        var history = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history"))!;
        var verify = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history/verify"))!;
        var view = (await restarted.ClientFor(Tokens.Officer("PK")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}"))!;

        var applied = history["events"]!.AsArray()[^1]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)applied["type"], Is.EqualTo("RulesApplied"));
            Assert.That(applied["data"]!["deadlines"]![0]!["oldDueAt"]!.ToString(), Is.EqualTo("2026-10-14T19:00:00.000Z"));
            Assert.That(applied["data"]!["deadlines"]![0]!["newDueAt"]!.ToString(), Is.EqualTo("2026-10-15T19:00:00.000Z"));
            Assert.That((bool?)verify["valid"], Is.True);
            Assert.That((string?)Clock(view, "Surrender")["dueAt"], Is.EqualTo("2026-10-15T19:00:00.000Z"));
            Assert.That(view["offences"]![0]!["deathPenalty"], Is.Null, "unconfirmed until an officer states it");
            Assert.That(view["allowedActions"]!.AsArray().Select(a => (string?)a), Does.Not.Contain("OrderExtradition"), "an incomplete file");
        });
    }

    [Test]
    public async Task A_closed_clock_the_corrected_rules_move_is_recorded_too_not_rewritten_silently()
    {
        var c = await AtExecutiveAsync(requested: "PK", sentAt: "2026-08-15T10:00:00Z");
        await FireAt(c, "PK", "OrderExtradition", "2026-09-01T10:00:00Z");
        await FireAt(c, "PK", "ArrangeSurrender", "2026-09-02T10:00:00Z", Data(("scheduledFor", "2026-10-15T10:00:00Z")));
        await FireAt(c, "PK", "Surrender", "2026-10-15T10:00:00Z"); // 15 October, the last day under s.12 counted after committal
        await using (var connection = new SqliteConnection($"Data Source={_api.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // As rules version 1 stored it: the period counted with the day of committal, so the surrender on 15 October was late.
            command.CommandText = """
                UPDATE Deadlines SET DueAt = '2026-10-14T19:00:00.000Z', Status = 'Missed' WHERE CaseId = $id AND Kind = 'Surrender';
                UPDATE Cases SET RulesVersion = 1 WHERE Id = $id;
                DROP TRIGGER IF EXISTS TR_CaseEvents_NoUpdate;
                UPDATE CaseEvents SET RulesVersion = NULL WHERE CaseId = $id;
                """;
            command.Parameters.AddWithValue("$id", c.Id);
            await command.ExecuteNonQueryAsync();
        }

        using var restarted = new ApiFactory(new Dictionary<string, string?> { ["ConnectionStrings:Cases"] = $"Data Source={_api.DatabasePath}" });
        var history = (await restarted.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history"))!;
        var view = (await restarted.ClientFor(Tokens.Officer("PK")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}"))!;
        var verify = (await restarted.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history/verify"))!;

        var applied = history["events"]!.AsArray()[^1]!;
        var moved = applied["data"]!["deadlines"]!.AsArray().Select(d => ((string?)d!["kind"], (string?)d["oldDueAt"], (string?)d["newDueAt"]));
        var surrender = applied["data"]!["deadlines"]!.AsArray().Single(d => (string?)d!["kind"] == "Surrender")!;
        Assert.Multiple(() =>
        {
            Assert.That(((string?)surrender["oldStatus"], (string?)surrender["newStatus"]), Is.EqualTo(("Missed", "Met")), "the status change is named too");
            Assert.That((bool?)verify["valid"], Is.True, verify.ToJsonString());
            Assert.That((string?)Clock(view, "Surrender")["status"], Is.EqualTo("Met"), "in time under the corrected count");
            Assert.That((string?)applied["type"], Is.EqualTo("RulesApplied"));
            Assert.That(moved, Does.Contain(((string?)"Surrender", (string?)"2026-10-14T19:00:00.000Z", (string?)"2026-10-15T19:00:00.000Z")),
                "the history shows why the surrender's date and status changed");
        });
    }
}
