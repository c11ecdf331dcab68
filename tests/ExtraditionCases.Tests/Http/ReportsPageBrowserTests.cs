using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// The reports page in a real browser: the service started as its own process on 127.0.0.1, a few cases
/// filed and moved through the workflow over HTTP, then Debian's headless Chromium opens /reports, a reporter
/// types the token, and the page fetches the figures and SVG charts by script. What is asserted is content
/// (section titles, chart titles, axis labels, the series drawn, table rows, the print style), not pixels;
/// the screenshot is kept beside the test's output for a person to look at.
/// </summary>
[NonParallelizable]
public sealed class ReportsPageBrowserTests
{
    private string _folder = null!;

    [SetUp]
    public void Folder()
    {
        if (!HeadlessChromium.IsInstalled)
        {
            // .ci/run installs Debian's chromium; without it here, say so (and fail in CI, where it must be).
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail($"{HeadlessChromium.Executable} is missing: .ci/run installs the chromium package.");
            Assert.Ignore($"{HeadlessChromium.Executable} is not installed (apt-get install chromium).");
        }

        _folder = Path.Combine(Path.GetTempPath(), "extradition-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder()
    {
        try
        {
            if (_folder is not null) Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS
        }
    }

    private static async Task StepAsync(HttpClient officer, string id, string trigger, string at, JsonObject? data = null)
    {
        var current = (await officer.GetAsync($"/api/v1/cases/{id}")).Headers.ETag!.Tag;
        var body = new JsonObject { ["trigger"] = trigger, ["occurredAt"] = at, ["note"] = "Recorded from the case file" };
        if (data is not null) body["data"] = data;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{id}/transitions") { Content = Cases.Json(body) };
        request.Headers.TryAddWithoutValidation("If-Match", current);
        var response = await officer.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{trigger}: {await response.Content.ReadAsStringAsync()}");
    }

    [Test]
    public async Task A_reporter_reads_figures_and_charts_in_the_page_and_prints_them()
    {
        await using var service = await ServiceProcess.StartAsync(_folder, Path.Combine(_folder, "cases.db"));
        var pk = service.ClientFor(Tokens.Officer("PK"));
        var gb = service.ClientFor(Tokens.Officer("GB"));
        var ids = new List<string>();
        foreach (var (category, received) in new[] { ("Terrorism", "2026-08-01T10:00:00Z"), ("DrugTrafficking", "2026-09-01T10:00:00Z") })
        {
            var body = Cases.NewCase();
            body["receivedAt"] = received;
            body["offences"]![0]!["category"] = category;
            ids.Add((string)(await Cases.FileAsync(pk, body))["id"]!);
        }

        await StepAsync(pk, ids[0], "Submit", "2026-08-02T10:00:00Z");
        await StepAsync(gb, ids[0], "Certify", "2026-08-05T10:00:00Z", new JsonObject { ["certificateReference"] = "S70-1" });
        await StepAsync(pk, ids[1], "Submit", "2026-09-03T10:00:00Z");
        await StepAsync(pk, ids[1], "Withdraw", "2026-09-10T10:00:00Z", new JsonObject { ["reason"] = "Superseded" });

        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(new Uri(service.BaseAddress, "/reports").ToString());
        var token = Tokens.Mint(new() { ["role"] = "reporter", ["country"] = "PK", ["agency"] = "MINISTER", ["sub"] = "reporter-PK" });
        await browser.EvaluateAsync($"document.getElementById('token').value = {JsonValue.Create(token).ToJsonString()}; document.querySelector('#token-form button[type=submit]').click(); true");
        await browser.WaitForAsync("document.body.dataset.loaded");
        Assert.That((string?)await browser.EvaluateAsync("document.body.dataset.loaded"), Is.EqualTo("true"),
            $"{await browser.EvaluateAsync("document.getElementById('status').textContent")} | {string.Join(" | ", browser.Messages)}");

        var page = (await browser.EvaluateAsync("""
            (() => {
              const chart = (id) => {
                const svg = document.querySelector('#chart-' + id + ' svg');
                return svg ? { texts: [...svg.querySelectorAll('text')].map(t => t.textContent.trim()).filter(t => t), shapes: svg.querySelectorAll('path, rect').length } : null;
              };
              const rows = (id) => [...document.querySelectorAll('#' + id + ' tbody tr')].map(tr => [...tr.cells].map(td => td.textContent).join(' | '));
              return {
                sections: [...document.querySelectorAll('main h2')].map(h => h.textContent),
                charts: { caseload: chart('caseload'), stages: chart('stage-times'), clocks: chart('clock-compliance'), pairs: chart('country-pairs') },
                months: rows('table-months'), stages: rows('table-stages'), outcomes: rows('table-outcomes'), pairs: rows('table-pairs'),
                stored: sessionStorage.getItem('extradition-reports-token') !== null,
                tokenField: document.getElementById('token').value,
              };
            })()
            """))!.AsObject();
        var shot = await browser.ScreenshotAsync();
        await File.WriteAllBytesAsync(Path.Combine(TestContext.CurrentContext.WorkDirectory, "reports-page.png"), shot);

        // The ministerial brief: print media hides the token and filter forms.
        await browser.SendAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = "print" });
        var printed = await browser.EvaluateAsync("[...document.querySelectorAll('form')].every(f => getComputedStyle(f).display === 'none') && getComputedStyle(document.getElementById('reports')).display !== 'none'");
        await browser.SendAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = "" });

        // Session storage keeps the token across a reload of the tab: the page reads the figures again by itself.
        await browser.EvaluateAsync("delete document.body.dataset.loaded; location.reload(); true");
        await browser.WaitForAsync("document.body && document.body.dataset.loaded === 'true'");

        static List<string> Texts(JsonNode chart) => [.. chart["texts"]!.AsArray().Select(t => (string)t!)];
        var charts = page["charts"]!;
        Assert.Multiple(() =>
        {
            Assert.That(page["sections"]!.AsArray().Select(s => (string?)s), Is.EqualTo(new[]
            {
                "Caseload", "Time per stage", "Clock compliance", "Cases by country pair and offence category",
            }));
            Assert.That(Texts(charts["caseload"]!), Does.Contain("Caseload by month").And.Contain("Month").And.Contain("Cases").And.Contain("2026-08").And.Contain("2026-09"));
            Assert.That(Texts(charts["stages"]!), Does.Contain("Time per stage").And.Contain("Stage").And.Contain("Days").And.Contain("Draft").And.Contain("UnderReview"));
            Assert.That(Texts(charts["clocks"]!), Does.Contain("Clock compliance by kind").And.Contain("Clock").And.Contain("Clocks"));
            Assert.That(Texts(charts["pairs"]!), Does.Contain("Pakistan to United Kingdom: Terrorism").And.Contain("Pakistan to United Kingdom: DrugTrafficking"));
            foreach (var name in new[] { "caseload", "stages", "pairs" })
                Assert.That((int)charts[name]!["shapes"]!, Is.GreaterThan(10), $"{name}: series drawn");
            Assert.That(page["months"]!.AsArray().Select(r => (string?)r), Is.EqualTo(new[] { "2026-08 | 1 | 0", "2026-09 | 1 | 1" }));
            Assert.That(page["stages"]!.AsArray().Select(r => (string?)r), Is.EqualTo(new[] { "Draft | 2 | 1 | 2 | 2", "UnderReview | 2 | 3 | 7 | 7" }));
            Assert.That(page["outcomes"]!.AsArray().Select(r => (string?)r), Is.EqualTo(new[] { "Withdrawn |  | 1" }));
            Assert.That(page["pairs"]!.AsArray().Select(r => (string?)r).ToList(), Has.Count.EqualTo(2).And.All.StartWith("Pakistan (PK) | United Kingdom (GB)"));
            Assert.That((bool?)page["stored"], Is.True, "the token is in session storage");
            Assert.That((string?)page["tokenField"], Is.Empty, "and not left in the form");
            Assert.That((bool?)printed, Is.True, "print style");
            Assert.That(shot.Take(4), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47 }));
            Assert.That(browser.Messages.Where(m => m.StartsWith("error", StringComparison.Ordinal) || m.Contains("Content Security Policy", StringComparison.Ordinal)), Is.Empty,
                "no script error, no CSP violation");
        });
    }
}
