using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// The reports (issue 17) on a known fixture: six cases taken through the real workflow over HTTP, each step
/// dated, with the test clock at 2026-11-20T10:00Z. Figures are asserted exactly.
/// <list type="bullet">
/// <item>A, PK to GB, MoneyLaundering, Treaty: received 1 Aug, surrendered 25 Sep (55 days).</item>
/// <item>B, PK to GB, Terrorism, Treaty: received 1 Aug, discharged by the judge 30 Aug (two stays of a quarter day).</item>
/// <item>C, GB to PK, DrugTrafficking, SpecialArrangement: received 1 Sep, withdrawn 10 Sep.</item>
/// <item>D, PK to GB, MoneyLaundering and HumanTrafficking, Treaty: received 1 Oct, provisionally arrested 2 Oct; open.</item>
/// <item>E, PK to GB, Terrorism, Treaty: received 1 Nov, a draft.</item>
/// <item>F, GB to US, Fraud, Treaty: received 5 Oct, a draft; no business of Pakistan's.</item>
/// </list>
/// </summary>
public sealed class ReportTests
{
    private ApiFactory _api = null!;
    private readonly Dictionary<string, CaseDriver> _cases = [];

    [OneTimeSetUp]
    public async Task BuildTheFixture()
    {
        _api = new ApiFactory();
        _cases["A"] = await FileAsync("PK", "GB", "2026-08-01T10:00:00Z", "Treaty", "MoneyLaundering");
        await Steps(_cases["A"], "GB",
            ("PK", "Submit", "2026-08-02T10:00:00Z", null),
            ("GB", "Certify", "2026-08-04T10:00:00Z", Data(("certificateReference", "S70-A"))),
            ("GB", "IssueWarrant", "2026-08-05T10:00:00Z", Data(("warrantReference", "S71-A"), ("court", "Westminster"))),
            ("GB", "Arrest", "2026-08-07T10:00:00Z", null),
            ("GB", "OpenHearing", "2026-08-10T10:00:00Z", null),
            ("GB", "SendToExecutive", "2026-08-20T10:00:00Z", null),
            ("GB", "OrderExtradition", "2026-09-01T10:00:00Z", null),
            ("GB", "ArrangeSurrender", "2026-09-20T10:00:00Z", Data(("scheduledFor", "2026-09-25T10:00:00Z"))),
            ("GB", "Surrender", "2026-09-25T10:00:00Z", null));

        _cases["B"] = await FileAsync("PK", "GB", "2026-08-01T10:00:00Z", "Treaty", "Terrorism");
        await Steps(_cases["B"], "GB",
            ("PK", "Submit", "2026-08-03T10:00:00Z", null),
            ("GB", "Certify", "2026-08-06T10:00:00Z", Data(("certificateReference", "S70-B"))),
            ("GB", "IssueWarrant", "2026-08-08T10:00:00Z", Data(("warrantReference", "S71-B"), ("court", "Westminster"))),
            ("GB", "Arrest", "2026-08-09T10:00:00Z", null),
            ("GB", "OpenHearing", "2026-08-12T16:00:00Z", null),
            ("GB", "Discharge", "2026-08-30T10:00:00Z", Data(("by", "Judge"), ("ground", "passage of time (s.82)"))));

        _cases["C"] = await FileAsync("GB", "PK", "2026-09-01T10:00:00Z", "SpecialArrangement", "DrugTrafficking");
        await Steps(_cases["C"], "PK",
            ("GB", "Submit", "2026-09-02T10:00:00Z", null),
            ("GB", "Withdraw", "2026-09-10T10:00:00Z", Data(("reason", "=HYPERLINK(\"http://example.invalid\")"))));

        _cases["D"] = await FileAsync("PK", "GB", "2026-10-01T10:00:00Z", "Treaty", "MoneyLaundering", "HumanTrafficking");
        await Steps(_cases["D"], "GB", ("GB", "ProvisionalArrest", "2026-10-02T10:00:00Z", null));

        _cases["E"] = await FileAsync("PK", "GB", "2026-11-01T10:00:00Z", "Treaty", "Terrorism");
        _cases["F"] = await FileAsync("GB", "US", "2026-10-05T10:00:00Z", "Treaty", "Fraud");
    }

    [OneTimeTearDown]
    public void StopService() => _api.Dispose();

    private static JsonObject Data(params (string Name, JsonNode? Value)[] members)
    {
        var data = new JsonObject();
        foreach (var (name, value) in members) data[name] = value;
        return data;
    }

    private async Task<CaseDriver> FileAsync(string requesting, string requested, string receivedAt, string basis, params string[] categories)
    {
        var body = Cases.NewCase(requesting, requested);
        body["receivedAt"] = receivedAt;
        body["basis"] = basis;
        body["offences"] = new JsonArray([.. categories.Select(c => (JsonNode)new JsonObject
        {
            ["description"] = $"An offence of {c}", ["statute"] = "Penal Code", ["category"] = c, ["maxPenaltyMonths"] = 120, ["deathPenalty"] = false,
        })]);
        return await CaseDriver.FileAsync(_api, body, requesting);
    }

    private static async Task Steps(CaseDriver c, string requested, params (string Country, string Trigger, string At, JsonObject? Data)[] steps)
    {
        _ = requested;
        foreach (var (country, trigger, at, data) in steps)
        {
            var response = await c.SendAsync(country, trigger, data, occurredAt: at, note: "Recorded from the case file");
            Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{trigger}: {await response.Content.ReadAsStringAsync()}");
            c.Keep(response);
        }
    }

    private static string Reporter(string country) =>
        Tokens.Mint(new() { ["role"] = "reporter", ["country"] = country, ["agency"] = "MINISTER", ["sub"] = $"reporter-{country}" });

    private async Task<JsonObject> GetAsync(string token, string path)
    {
        var response = await _api.ClientFor(token).GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{path}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static List<string> Rows(JsonNode? array, params string[] members) =>
        [.. array!.AsArray().Select(item => string.Join(" ", members.Select(m => item![m]?.ToString() ?? "-")))];

    [Test]
    public async Task Caseload_counts_open_cases_filings_and_outcomes()
    {
        var all = await GetAsync(Tokens.Auditor(), "/api/v1/reports/caseload");
        var pk = await GetAsync(Reporter("PK"), "/api/v1/reports/caseload");

        Assert.Multiple(() =>
        {
            Assert.That(Rows(all["open"], "state", "cases"), Is.EqualTo(new[] { "Draft 2", "ProvisionalArrest 1" }));
            Assert.That(Rows(all["months"], "period", "filed", "closed"), Is.EqualTo(new[] { "2026-08 2 1", "2026-09 1 2", "2026-10 2 0", "2026-11 1 0" }));
            Assert.That(Rows(all["outcomes"], "outcome", "dischargedBy", "cases"), Is.EqualTo(new[] { "Surrendered - 1", "Discharged Judge 1", "Withdrawn - 1" }));
            Assert.That((int)all["openTotal"]!, Is.EqualTo(3));
            Assert.That(Rows(pk["open"], "state", "cases"), Is.EqualTo(new[] { "Draft 1", "ProvisionalArrest 1" }), "Pakistan's reporter does not see GB to US");
            Assert.That(Rows(pk["months"], "period", "filed", "closed"), Is.EqualTo(new[] { "2026-08 2 1", "2026-09 1 2", "2026-10 1 0", "2026-11 1 0" }));
        });
    }

    [Test]
    public async Task Time_per_stage_is_nearest_rank_over_the_events_occurredAt()
    {
        var report = await GetAsync(Tokens.Auditor(), "/api/v1/reports/stage-times");

        Assert.That(Rows(report["stages"], "name", "stays", "medianDays", "p90Days", "maxDays"), Is.EqualTo(new[]
        {
            "Draft 4 1 2 2",                 // A 1, B 2, C 1, D 1: ranks ceil(0.5 x 4) = 2 and ceil(0.9 x 4) = 4
            "UnderReview 3 3 8 8",           // A 2, B 3, C 8
            "Lodged 2 1 2 2",
            "WarrantIssued 2 1 2 2",
            "InitialHearing 2 3 3.25 3.25",  // A 3, B 3.25 (opened at 16:00)
            "ExtraditionHearing 2 10 17.75 17.75",
            "ExecutiveDecision 1 12 12 12",
            "ExtraditionOrdered 1 19 19 19",
            "SurrenderArranged 1 5 5 5",
            "FilingToSurrender 1 55 55 55",
        }));
    }

    [Test]
    public async Task The_event_period_counts_what_happened_in_it_and_the_filing_period_the_cases_filed_in_it()
    {
        const string September = "from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z";
        var byEvent = await GetAsync(Tokens.Auditor(), $"/api/v1/reports/caseload?{September}&period=Event");
        var byFiling = await GetAsync(Tokens.Auditor(), $"/api/v1/reports/caseload?{September}");
        var stagesByEvent = await GetAsync(Tokens.Auditor(), $"/api/v1/reports/stage-times?{September}&period=Event");
        var stagesByFiling = await GetAsync(Tokens.Auditor(), $"/api/v1/reports/stage-times?from=2026-08-01T00:00:00Z&to=2026-08-02T00:00:00Z");

        Assert.Multiple(() =>
        {
            Assert.That(Rows(byEvent["months"], "period", "filed", "closed"), Is.EqualTo(new[] { "2026-09 1 2" }));
            Assert.That(Rows(byEvent["outcomes"], "outcome", "cases"), Is.EqualTo(new[] { "Surrendered 1", "Withdrawn 1" }));
            Assert.That(Rows(byFiling["months"], "period", "filed", "closed"), Is.EqualTo(new[] { "2026-09 1 1" }), "C: filed and withdrawn in September");
            Assert.That(Rows(byFiling["open"], "state", "cases"), Is.Empty);
            Assert.That(Rows(stagesByEvent["stages"], "name", "stays", "medianDays"), Is.EqualTo(new[]
            {
                "Draft 1 1", "UnderReview 1 8", "ExecutiveDecision 1 12", "ExtraditionOrdered 1 19", "SurrenderArranged 1 5", "FilingToSurrender 1 55",
            }));
            Assert.That(Rows(stagesByFiling["stages"], "name", "stays", "medianDays", "maxDays")[0], Is.EqualTo("Draft 2 1 2"), "A and B, filed on 1 August");
        });
    }

    [Test]
    public async Task Filters_by_state_direction_category_and_basis()
    {
        var terrorism = await GetAsync(Tokens.Auditor(), "/api/v1/reports/country-pairs?offenceCategory=Terrorism");
        var special = await GetAsync(Tokens.Auditor(), "/api/v1/reports/caseload?basis=SpecialArrangement");
        var outgoing = await GetAsync(Reporter("PK"), "/api/v1/reports/caseload?direction=Outgoing");
        var incoming = await GetAsync(Reporter("PK"), "/api/v1/reports/caseload?direction=Incoming");
        var contradiction = await GetAsync(Reporter("PK"), "/api/v1/reports/caseload?direction=Incoming&requestedState=GB");
        var toUs = await GetAsync(Tokens.Auditor(), "/api/v1/reports/caseload?requestingState=GB&requestedState=US");

        Assert.Multiple(() =>
        {
            Assert.That(Rows(terrorism["pairs"], "requestingState", "requestedState", "category", "cases", "open", "discharged"),
                Is.EqualTo(new[] { "PK GB Terrorism 2 1 1" }));
            Assert.That(Rows(special["outcomes"], "outcome", "cases"), Is.EqualTo(new[] { "Withdrawn 1" }));
            Assert.That(Rows(outgoing["months"], "period", "filed", "closed"), Is.EqualTo(new[] { "2026-08 2 1", "2026-09 0 1", "2026-10 1 0", "2026-11 1 0" }),
                "A surrendered in September; C, withdrawn then, was a request to Pakistan");
            Assert.That(Rows(incoming["months"], "period", "filed"), Is.EqualTo(new[] { "2026-09 1" }));
            Assert.That(Rows(contradiction["months"], "period"), Is.Empty, "requests to Pakistan are never requests to GB");
            Assert.That(Rows(toUs["open"], "state", "cases"), Is.EqualTo(new[] { "Draft 1" }));
        });
    }

    [Test]
    public async Task Country_pairs_count_a_case_under_each_of_its_categories()
    {
        var report = await GetAsync(Tokens.Auditor(), "/api/v1/reports/country-pairs");

        Assert.That(Rows(report["pairs"], "requestingState", "requestedState", "category", "cases", "open", "surrendered", "discharged", "refused", "withdrawn"),
            Is.EqualTo(new[]
            {
                "GB PK DrugTrafficking 1 0 0 0 0 1",
                "GB US Fraud 1 1 0 0 0 0",
                "PK GB Terrorism 2 1 0 1 0 0",
                "PK GB HumanTrafficking 1 1 0 0 0 0",
                "PK GB MoneyLaundering 2 1 1 0 0 0",
            }));
    }

    [Test]
    public async Task Clock_compliance_reads_each_clock_as_the_case_does_now()
    {
        var report = await GetAsync(Tokens.Auditor(), "/api/v1/reports/clock-compliance");

        // What each case's own view says of its clocks at the same instant.
        var expected = new Dictionary<(string Kind, string Requested, string Status), int>();
        var overdue = new List<(string Kind, TimeSpan Age)>();
        foreach (var c in _cases.Values)
        {
            var view = await GetAsync(Tokens.Auditor(), $"/api/v1/cases/{c.Id}");
            foreach (var d in view["deadlines"]!.AsArray())
            {
                var key = ((string)d!["kind"]!, (string)view["requestedState"]!, (string)d["status"]!);
                expected[key] = expected.GetValueOrDefault(key) + 1;
            }
        }

        var listed = new Dictionary<(string, string, string), int>();
        foreach (var k in report["clocks"]!.AsArray())
        {
            foreach (var status in new[] { "Met", "Missed", "Expired", "Extended", "Pending", "Cancelled" })
            {
                var n = (int)k![status.ToLowerInvariant()]!;
                if (n > 0) listed[((string)k["kind"]!, (string)k["requestedState"]!, status)] = n;
            }
        }

        var fullRequest = report["clocks"]!.AsArray().Single(k => (string?)k!["kind"] == "FullRequest")!;
        var dueAt = DateTimeOffset.Parse((string)(await GetAsync(Tokens.Auditor(), $"/api/v1/cases/{_cases["D"].Id}"))["deadlines"]![0]!["dueAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(listed, Is.EquivalentTo(expected));
            Assert.That(expected.Keys.Select(k => k.Status), Does.Contain("Met").And.Contain("Expired"), "the fixture has clocks met and windows closed unused");
            // D's full request (s.74): 45 days from 2 October, ended at the start of 16 November; nobody has recorded it.
            Assert.That(dueAt, Is.EqualTo(new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero)));
            Assert.That((int)fullRequest["missed"]!, Is.EqualTo(1));
            Assert.That((decimal)fullRequest["shareMetInTime"]!, Is.EqualTo(0m));
            Assert.That(Rows(report["backlog"], "kind", "age", "clocks"), Is.EqualTo(new[] { "FullRequest Under7Days 1" }));
        });
    }

    [Test]
    public async Task The_backlog_ages_as_the_clock_runs_without_any_write()
    {
        using var api = new ApiFactory();
        var body = Cases.NewCase();
        body["receivedAt"] = "2026-10-01T10:00:00Z";
        var c = await CaseDriver.FileAsync(api, body);
        var arrested = await c.SendAsync("GB", "ProvisionalArrest", occurredAt: "2026-10-02T10:00:00Z", note: "Recorded from the case file");
        Assert.That((int)arrested.StatusCode, Is.EqualTo(200));
        var auditor = api.ClientFor(Tokens.Auditor());

        async Task<List<string>> Backlog() => Rows((await auditor.GetFromJsonAsync<JsonObject>("/api/v1/reports/clock-compliance"))!["backlog"], "kind", "age", "clocks");
        var before = await Backlog();
        api.Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromHours(10));   // 23 November 00:00: 7 days overdue exactly
        var week = await Backlog();
        api.Clock.Advance(TimeSpan.FromDays(90));
        var quarter = await Backlog();

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(new[] { "FullRequest Under7Days 1" }));
            Assert.That(week, Is.EqualTo(new[] { "FullRequest 7To30Days 1" }));
            Assert.That(quarter, Is.EqualTo(new[] { "FullRequest 90DaysOrMore 1" }));
        });
    }

    [Test]
    public async Task Csv_is_rfc_4180_with_the_formula_guard()
    {
        var client = _api.ClientFor(Tokens.Auditor());
        async Task<string> Csv(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
            var response = await client.SendAsync(request);
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
            return await response.Content.ReadAsStringAsync();
        }

        var stages = await Csv("/api/v1/reports/stage-times");
        var caseload = await Csv("/api/v1/reports/caseload");
        var pairs = await Csv("/api/v1/reports/country-pairs");
        var clocks = await Csv("/api/v1/reports/clock-compliance");

        Assert.Multiple(() =>
        {
            Assert.That(stages, Does.StartWith("stage,stays,medianDays,p90Days,maxDays\r\n\"Draft\",\"4\",\"1\",\"2\",\"2\"\r\n"));
            Assert.That(stages, Does.Contain("\"InitialHearing\",\"2\",\"3\",\"3.25\",\"3.25\"\r\n"));
            Assert.That(caseload, Does.Contain("\"outcome\",\"Discharged\",\"Judge\",\"1\"\r\n"));
            Assert.That(caseload, Does.Contain("\"filed\",\"2026-08\",\"\",\"2\"\r\n"));
            Assert.That(pairs, Does.Contain("\"PK\",\"GB\",\"MoneyLaundering\",\"2\",\"1\",\"1\",\"0\",\"0\",\"0\"\r\n"));
            Assert.That(clocks, Does.Contain("\"backlog\",\"FullRequest\",\"\",\"Under7Days\""));
            Assert.That(stages.Split("\r\n").Where(l => l.Length > 0).Select(l => l.Split(',').Length).Distinct(), Is.EqualTo(new[] { 5 }), "one field count on every line");
            Assert.That(ExtraditionCases.Api.Http.Csv.Field("=HYPERLINK(\"x\")"), Is.EqualTo("\"'=HYPERLINK(\"\"x\"\")\""), "the history export's guard");
        });
    }

    [Test]
    public async Task Bad_filters_are_one_400_naming_each()
    {
        var response = await _api.ClientFor(Tokens.Auditor()).GetAsync("/api/v1/reports/caseload?from=yesterday&period=Month&offenceCategory=Piracy&requestingState=Pakistan");
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var reversed = await _api.ClientFor(Tokens.Auditor()).GetAsync("/api/v1/reports/caseload?from=2026-10-01T00:00:00Z&to=2026-09-01T00:00:00Z");
        var noCountry = await _api.ClientFor(Tokens.Mint(new() { ["role"] = "auditor", ["sub"] = "auditor-nowhere" })).GetAsync("/api/v1/reports/caseload?direction=Outgoing");

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400));
            Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "from", "period", "offenceCategory", "requestingState" }));
            Assert.That((int)reversed.StatusCode, Is.EqualTo(400));
            Assert.That((int)noCountry.StatusCode, Is.EqualTo(400));
        });
    }

    [Test]
    public async Task A_reporter_reads_its_own_countrys_reports_and_a_partner_none()
    {
        var us = await GetAsync(Reporter("US"), "/api/v1/reports/country-pairs");
        var partner = await _api.ClientFor(Tokens.Partner("PK")).GetAsync("/api/v1/reports/caseload");
        var twoRoles = await _api.ClientFor(Tokens.Mint(new()
        {
            ["role"] = new[] { "reporter", "auditor" }, ["country"] = "PK", ["sub"] = "two-hats",
        })).GetAsync("/api/v1/reports/caseload");

        Assert.Multiple(() =>
        {
            Assert.That(Rows(us["pairs"], "requestingState", "requestedState", "category", "cases"), Is.EqualTo(new[] { "GB US Fraud 1" }));
            Assert.That((int)partner.StatusCode, Is.EqualTo(403));
            Assert.That((int)twoRoles.StatusCode, Is.EqualTo(403), "exactly one role claim");
        });
    }

    [Test]
    public async Task A_reporter_is_refused_everywhere_else()
    {
        var endpoints = _api.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal) && !e.RoutePattern.RawText.StartsWith("/api/v1/reports", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!,
                Multipart: e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.Contains("multipart/form-data") == true)))
            .ToList();
        var client = _api.ClientFor(Reporter("PK"));
        var answers = new List<string>();
        foreach (var (method, pattern, multipart) in endpoints)
        {
            var path = pattern.Replace("{id:guid}", _cases["A"].Id, StringComparison.Ordinal).Replace("{kind}", "HearingStart", StringComparison.Ordinal)
                .Replace("{name}", "x", StringComparison.Ordinal).Replace("{documentId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                .Replace("{deliveryId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("{member}", "asylumClaim", StringComparison.Ordinal)
                .Replace("{country}", "PK", StringComparison.Ordinal).Replace("{linkId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
            // Each body in the media type the endpoint takes: a wrong one is refused by routing (415) before anyone is asked who they are.
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = multipart ? new MultipartFormDataContent { { new StringContent("{}"), "metadata" } }
                    : method is "POST" or "PUT" ? Cases.Json(new JsonObject()) : method == "PATCH" ? Cases.Json(new JsonObject(), "application/merge-patch+json") : null,
            };
            var response = await client.SendAsync(request);
            answers.Add($"{method} {pattern} {(int)response.StatusCode}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(endpoints, Has.Count.GreaterThanOrEqualTo(15), "every endpoint under /api");
            Assert.That(answers, Has.All.EndsWith(" 403"));
        });
    }

    [Test]
    public async Task Charts_are_svg_and_png_with_titles_axis_labels_and_country_names()
    {
        var client = _api.ClientFor(Tokens.Auditor());
        var texts = new Dictionary<string, string>();
        foreach (var name in new[] { "caseload", "stage-times", "clock-compliance", "country-pairs" })
        {
            var svg = await client.GetAsync($"/api/v1/reports/charts/{name}.svg");
            Assert.That((int)svg.StatusCode, Is.EqualTo(200), name);
            Assert.That(svg.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/svg+xml"));
            texts[name] = await svg.Content.ReadAsStringAsync();
            var png = await client.GetAsync($"/api/v1/reports/charts/{name}.png");
            var bytes = await png.Content.ReadAsByteArrayAsync();
            Assert.That(png.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
            Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{name}.png is a PNG");
            Assert.That(bytes, Has.Length.GreaterThan(5_000), $"{name}.png has something drawn");
        }

        var unknown = await client.GetAsync("/api/v1/reports/charts/pie.svg");
        var gif = await client.GetAsync("/api/v1/reports/charts/caseload.gif");
        Assert.Multiple(() =>
        {
            Assert.That(texts["caseload"], Does.Contain("Caseload by month").And.Contain("Month").And.Contain("2026-08").And.Contain("Filed"));
            Assert.That(texts["stage-times"], Does.Contain("Time per stage").And.Contain("Days").And.Contain("ExtraditionHearing").And.Contain("FilingToSurrender"));
            Assert.That(texts["clock-compliance"], Does.Contain("Clock compliance by kind").And.Contain("FullRequest").And.Contain("Missed"));
            Assert.That(texts["country-pairs"], Does.Contain("Pakistan to United Kingdom: Terrorism").And.Contain("United Kingdom to United States: Fraud"));
            Assert.That(texts.Values, Has.None.Contain(Cases.UrduName), "no person's name in any chart");
            Assert.That((int)unknown.StatusCode, Is.EqualTo(404));
            Assert.That((int)gif.StatusCode, Is.EqualTo(404));
        });
    }

    [Test]
    public async Task The_page_is_static_offline_and_served_to_anyone()
    {
        var response = await _api.CreateClient().GetAsync("/reports");
        var html = await response.Content.ReadAsStringAsync();
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
            Assert.That(html, Does.Contain("sessionStorage").And.Contain("@media print"));
            Assert.That(html, Does.Not.Match("(src|href)=\"(https?:)?//"), "nothing from elsewhere");
            Assert.That(policy, Does.StartWith("default-src 'none'; connect-src 'self'").And.Contain("script-src 'sha256-"));
        });
    }
}
