using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExtraditionCases.Application.Features.Reports;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// The reports' aggregate (issue 17, migration 0014): the stays and offence categories the case store writes with
/// each event are exactly what the backfill derives from the history, and every report gives the same figures
/// from either. Cases go through the real workflow over HTTP, with file changes to basis and offences on the way.
/// </summary>
public sealed partial class CaseStaysTests
{
    private static readonly string[] Reports =
    [
        "/api/v1/reports/stage-times",
        "/api/v1/reports/stage-times?offenceCategory=Terrorism",
        "/api/v1/reports/stage-times?basis=SpecialArrangement",
        "/api/v1/reports/stage-times?period=Event&from=2026-08-05T00:00:00Z&to=2026-09-21T00:00:00Z",
        "/api/v1/reports/stage-times?period=Filed&from=2026-08-01T00:00:00Z&to=2026-09-01T00:00:00Z&requestedState=GB",
        "/api/v1/reports/caseload",
        "/api/v1/reports/caseload?offenceCategory=MoneyLaundering",
        "/api/v1/reports/clock-compliance",
        "/api/v1/reports/country-pairs",
        "/api/v1/reports/country-pairs?offenceCategory=HumanTrafficking",
        "/api/v1/reports/country-pairs?basis=Treaty&period=Event&from=2026-08-15T00:00:00Z",
    ];

    private ApiFactory _api = null!;

    [SetUp]
    public void Start() => _api = new ApiFactory();

    [TearDown]
    public void Stop() => _api.Dispose();

    [Test]
    public async Task The_backfill_derives_from_the_history_the_rows_written_live_and_every_report_gives_the_same_figures()
    {
        await BuildTheFixtureAsync();
        var liveStays = await RowsAsync("SELECT * FROM CaseStays ORDER BY CaseId, Sequence, Stage");
        var liveCategories = await RowsAsync("SELECT * FROM CaseOffenceCategories ORDER BY CaseId, Category");
        var liveFigures = await FiguresAsync();

        await ExecuteAsync("DELETE FROM CaseStays; DELETE FROM CaseOffenceCategories;");
        await ExecuteAsync(CaseStays.Sql.BackfillStays.Sqlite);
        await ExecuteAsync(CaseStays.Sql.BackfillCategories.Sqlite);
        var backfilledStays = await RowsAsync("SELECT * FROM CaseStays ORDER BY CaseId, Sequence, Stage");
        var backfilledCategories = await RowsAsync("SELECT * FROM CaseOffenceCategories ORDER BY CaseId, Category");
        var backfilledFigures = await FiguresAsync();
        await ExecuteAsync(CaseStays.Sql.BackfillStays.Sqlite);
        var again = await RowsAsync("SELECT * FROM CaseStays ORDER BY CaseId, Sequence, Stage");

        Assert.Multiple(() =>
        {
            Assert.That(liveStays, Has.Count.EqualTo(25), "24 stays of the six cases, and one filing to surrender");
            Assert.That(liveStays.Count(r => r.Contains("|FilingToSurrender|", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(liveStays.Count(r => r.Contains("|||", StringComparison.Ordinal)), Is.EqualTo(6), "one open stay per case, no end and no duration");
            Assert.That(backfilledStays, Is.EqualTo(liveStays));
            Assert.That(backfilledCategories, Is.EqualTo(liveCategories));
            Assert.That(backfilledFigures, Is.EqualTo(liveFigures));
            Assert.That(again, Is.EqualTo(backfilledStays), "a case that has stays is left alone");
        });
        Assert.That(liveCategories, Has.Some.Contains("|HumanTrafficking").And.None.Contains("|Fraud"), "the categories follow the file's changes");
    }

    [Test]
    public async Task A_step_into_a_state_ends_the_open_stay_with_its_duration_in_milliseconds()
    {
        var c = await FileAsync("PK", "GB", "2026-08-01T10:00:00.250Z", "Treaty", "Terrorism");
        await Steps(c, ("PK", "Submit", "2026-08-03T10:30:00.125Z", null));

        var stays = await RowsAsync("SELECT Sequence, Stage, EnteredAt, LeftAt, Ms, RequestingState, RequestedState, Basis FROM CaseStays ORDER BY Sequence");

        Assert.That(stays, Is.EqualTo(new[]
        {
            "1|Draft|2026-08-01T10:00:00.250Z|2026-08-03T10:30:00.125Z|174599875|PK|GB|Treaty",
            "2|UnderReview|2026-08-03T10:30:00.125Z|||PK|GB|Treaty",
        }));
    }

    /// <summary>The migration runs the backfill statements themselves: one text, in both dialects.</summary>
    [TestCase("sqlite")]
    [TestCase("sqlserver")]
    public void Migration_0014_backfills_with_the_statements_the_code_holds(string dialect)
    {
        var migration = Normalise(File.ReadAllText(Path.Combine(Repository.Root, "db", dialect, "0014_case_stays.sql")));
        string Text(Application.Abstractions.SqlStatement s) => Normalise(dialect == "sqlite" ? s.Sqlite : s.SqlServer).TrimEnd(';');

        Assert.Multiple(() =>
        {
            Assert.That(migration, Does.Contain(Text(CaseStays.Sql.BackfillStays)));
            Assert.That(migration, Does.Contain(Text(CaseStays.Sql.BackfillCategories)));
        });
    }

    private static string Normalise(string sql) => Whitespace().Replace(sql, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private async Task BuildTheFixtureAsync()
    {
        var a = await FileAsync("PK", "GB", "2026-08-01T10:00:00Z", "Treaty", "MoneyLaundering");
        await Steps(a,
            ("PK", "Submit", "2026-08-02T10:00:00Z", null),
            ("GB", "Certify", "2026-08-04T10:00:00.500Z", Data(("certificateReference", "S70-A"))),
            ("GB", "IssueWarrant", "2026-08-05T10:00:00Z", Data(("warrantReference", "S71-A"), ("court", "Westminster"))),
            ("GB", "Arrest", "2026-08-07T10:00:00Z", null),
            ("GB", "OpenHearing", "2026-08-10T10:00:00Z", null),
            ("GB", "SendToExecutive", "2026-08-20T10:00:00Z", null),
            ("GB", "OrderExtradition", "2026-09-01T10:00:00Z", null),
            ("GB", "ArrangeSurrender", "2026-09-20T10:00:00Z", Data(("scheduledFor", "2026-09-25T10:00:00Z"))),
            ("GB", "Surrender", "2026-09-25T10:00:00Z", null));

        var b = await FileAsync("PK", "GB", "2026-08-01T10:00:00Z", "Treaty", "Terrorism");
        await Steps(b,
            ("PK", "Submit", "2026-08-03T10:00:00Z", null),
            ("GB", "Certify", "2026-08-06T10:00:00Z", Data(("certificateReference", "S70-B"))),
            ("GB", "IssueWarrant", "2026-08-08T10:00:00Z", Data(("warrantReference", "S71-B"), ("court", "Westminster"))),
            ("GB", "Arrest", "2026-08-09T10:00:00Z", null),
            ("GB", "OpenHearing", "2026-08-12T16:00:00Z", null),
            ("GB", "Discharge", "2026-08-30T10:00:00Z", Data(("by", "Judge"), ("ground", "passage of time (s.82)"))));

        // A file changed twice before it was submitted: basis, then offences.
        var c = await FileAsync("GB", "PK", "2026-09-01T10:00:00Z", "Treaty", "Fraud");
        Assert.That((int)(await c.PatchAsync("GB", new JsonObject { ["basis"] = "SpecialArrangement" })).StatusCode, Is.EqualTo(200));
        Assert.That((int)(await c.PatchAsync("GB", new JsonObject { ["offences"] = Offences("DrugTrafficking", "HumanTrafficking") })).StatusCode, Is.EqualTo(200));
        await Steps(c,
            ("GB", "Submit", "2026-09-02T10:00:00Z", null),
            ("GB", "Withdraw", "2026-09-10T10:00:00Z", Data(("reason", "No longer sought"))));

        var d = await FileAsync("PK", "GB", "2026-10-01T10:00:00Z", "Treaty", "MoneyLaundering", "HumanTrafficking", "MoneyLaundering");
        await Steps(d, ("GB", "ProvisionalArrest", "2026-10-02T10:00:00Z", null));
        // After a step: the basis the stays carry follows the file.
        Assert.That((int)(await d.PatchAsync("PK", new JsonObject { ["basis"] = "Convention" })).StatusCode, Is.EqualTo(200));

        await FileAsync("PK", "GB", "2026-11-01T10:00:00Z", "Treaty", "Terrorism");
        await FileAsync("GB", "US", "2026-10-05T10:00:00Z", "Treaty", "Corruption");
    }

    private async Task<List<string>> FiguresAsync()
    {
        var figures = new List<string>();
        foreach (var path in Reports)
        {
            var response = await _api.ClientFor(Tokens.Auditor()).GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{path}: {text}");
            figures.Add($"{path} {text}");
        }

        return figures;
    }

    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_api.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        return rows;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_api.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static JsonObject Data(params (string Name, JsonNode? Value)[] members)
    {
        var data = new JsonObject();
        foreach (var (name, value) in members) data[name] = value;
        return data;
    }

    private static JsonArray Offences(params string[] categories) => new([.. categories.Select(c => (JsonNode)new JsonObject
    {
        ["description"] = $"An offence of {c}", ["statute"] = "Penal Code", ["category"] = c, ["maxPenaltyMonths"] = 120, ["deathPenalty"] = false,
    })]);

    private async Task<CaseDriver> FileAsync(string requesting, string requested, string receivedAt, string basis, params string[] categories)
    {
        var body = Cases.NewCase(requesting, requested);
        body["receivedAt"] = receivedAt;
        body["basis"] = basis;
        body["offences"] = Offences(categories);
        return await CaseDriver.FileAsync(_api, body, requesting);
    }

    private static async Task Steps(CaseDriver c, params (string Country, string Trigger, string At, JsonObject? Data)[] steps)
    {
        foreach (var (country, trigger, at, data) in steps)
        {
            var response = await c.SendAsync(country, trigger, data, occurredAt: at, note: "Recorded from the case file");
            Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{trigger}: {await response.Content.ReadAsStringAsync()}");
            c.Keep(response);
        }
    }
}
