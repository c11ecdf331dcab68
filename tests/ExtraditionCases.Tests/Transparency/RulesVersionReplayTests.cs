using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Tests.Domain;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Transparency;

/// <summary>
/// The replay under the rules version each event records (issue 15 with issue 12's versions): a history made
/// under rules version 1 replays to version 1's clocks; the start-up step's switch to version 2 replays as it was
/// made, checked against what its RulesApplied event records; and the version columns, outside the hashed events,
/// cannot be edited to change the rules a date was computed under.
/// </summary>
public sealed class RulesVersionReplayTests
{
    // A UK request to Pakistan: committed on 15 August, whose two months (Extradition Act 1972 s.12) version 1
    // counted with the day of committal (to the end of 14 October, Karachi) and version 2 after it (15 October).
    private const string Version1Due = "2026-10-14T19:00:00.000Z";
    private const string Version2Due = "2026-10-15T19:00:00.000Z";
    private static readonly DateTimeOffset Received = new(2026, 8, 1, 9, 0, 0, TimeSpan.Zero);

    private ApiFactory _api = null!;
    private Dba _dba = null!;
    private readonly List<ApiFactory> _restarted = [];

    [SetUp]
    public void Start()
    {
        _api = new ApiFactory();
        _dba = new Dba(_api.DatabasePath);
    }

    [TearDown]
    public void Stop()
    {
        _restarted.ForEach(r => r.Dispose());
        _restarted.Clear();
        _api.Dispose();
    }

    private static JsonObject Data(params (string Name, JsonNode Value)[] values) => new(values.Select(v => KeyValuePair.Create(v.Name, (JsonNode?)v.Value)));

    /// <summary>Filed, committed and with its surrender arranged, all under rules version 1.</summary>
    private async Task<string> RecordedUnderVersion1Async()
    {
        var v1 = new RulesVersion1(_api);
        var id = await v1.FileAsync(CaseBuilder.CompleteFile(requesting: "GB", requested: "PK"), Received);
        await v1.FireAsync(id, WorkflowTrigger.ProvisionalArrest, new(2026, 8, 10, 10, 0, 0, TimeSpan.Zero));
        await v1.FireAsync(id, WorkflowTrigger.ReceiveFullRequest, new(2026, 8, 12, 10, 0, 0, TimeSpan.Zero), Data(("certificateReference", "S70-1")));
        await v1.FireAsync(id, WorkflowTrigger.OpenHearing, new(2026, 8, 13, 10, 0, 0, TimeSpan.Zero));
        await v1.FireAsync(id, WorkflowTrigger.SendToExecutive, new(2026, 8, 15, 10, 0, 0, TimeSpan.Zero));
        await v1.FireAsync(id, WorkflowTrigger.OrderExtradition, new(2026, 9, 1, 10, 0, 0, TimeSpan.Zero));
        await v1.FireAsync(id, WorkflowTrigger.ArrangeSurrender, new(2026, 9, 2, 10, 0, 0, TimeSpan.Zero), Data(("scheduledFor", "2026-10-15T10:00:00Z")));
        return id.ToString();
    }

    /// <summary>The same database, served again: the start-up step applies the current rules to cases under older ones.</summary>
    private ApiFactory Restarted()
    {
        var restarted = new ApiFactory(new Dictionary<string, string?> { ["ConnectionStrings:Cases"] = $"Data Source={_api.DatabasePath}" });
        _restarted.Add(restarted);
        return restarted;
    }

    private static async Task<JsonObject> VerifyAsync(ApiFactory api, string id) =>
        (await api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}/history/verify"))!;

    private static async Task<JsonObject> AuditSummaryAsync(ApiFactory api)
    {
        var text = await api.ClientFor(Tokens.Auditor()).GetStringAsync("/api/v1/audit/verify");
        return JsonNode.Parse(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!.AsObject();
    }

    private static async Task<JsonObject> SurrenderClockAsync(ApiFactory api, string id)
    {
        var view = (await api.ClientFor(Tokens.Officer("PK")).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}"))!;
        return view["deadlines"]!.AsArray().Last(d => (string?)d!["kind"] == "Surrender")!.AsObject();
    }

    private async Task<List<long?>> EventVersionsAsync(string id)
    {
        await using var connection = new SqliteConnection($"Data Source={_api.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT RulesVersion FROM CaseEvents WHERE CaseId = $id ORDER BY Sequence";
        command.Parameters.AddWithValue("$id", id);
        var versions = new List<long?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) versions.Add(reader.IsDBNull(0) ? null : reader.GetInt64(0));
        return versions;
    }

    [Test]
    public async Task A_history_recorded_under_rules_version_1_replays_valid_with_version_1s_clocks()
    {
        var id = await RecordedUnderVersion1Async();
        await _api.PublishCheckpointsAsync();

        var verify = await VerifyAsync(_api, id);
        var summary = await AuditSummaryAsync(_api);
        var clock = await SurrenderClockAsync(_api, id);
        var versions = await EventVersionsAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(versions, Is.EqualTo(Enumerable.Repeat((long?)1, 7)), "each event records the rules it was made under");
            Assert.That((string?)clock["dueAt"], Is.EqualTo(Version1Due));
            Assert.That((bool)verify["valid"]!, Is.True, verify.ToJsonString());
            Assert.That((int)verify["includedInCheckpoints"]!, Is.EqualTo(21));
            Assert.That((bool)summary["valid"]!, Is.True, summary.ToJsonString());
        });
    }

    [Test]
    public async Task A_version_1_cases_clock_rewritten_in_the_table_differs_from_its_replay_under_version_1()
    {
        var id = await RecordedUnderVersion1Async();
        await _api.PublishCheckpointsAsync();
        // The administrator gives the person the corrected count's extra day, without the event that would explain it.
        Assert.That(await _dba.RunAsync("UPDATE Deadlines SET DueAt = $due WHERE CaseId = $id AND Kind = 'Surrender'", ("$due", Version2Due), ("$id", id)), Is.EqualTo(1));

        var verify = await VerifyAsync(_api, id);
        Assert.Multiple(() =>
        {
            Assert.That((bool)verify["valid"]!, Is.False, "before replays were versioned a version 1 row's clocks went unchecked");
            Assert.That((string?)verify["firstMismatch"]!["check"], Is.EqualTo("replay"));
            Assert.That((string?)verify["firstMismatch"]!["reason"], Does.Contain("the clocks").And.Contain(Version2Due).And.Contain(Version1Due));
        });
    }

    [Test]
    public async Task A_case_replays_valid_across_the_start_up_switch_from_version_1_to_version_2()
    {
        var id = await RecordedUnderVersion1Async();
        var restarted = Restarted();
        // Recorded under version 2, on 15 October: in time under the corrected count, late under version 1's.
        var c = new CaseDriver(restarted, id, $"\"{8}\"");
        var response = await c.SendAsync("PK", "Surrender", occurredAt: "2026-10-15T10:00:00Z", note: "Surrendered at Heathrow");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        await restarted.PublishCheckpointsAsync();

        var history = (await restarted.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}/history"))!;
        var applied = history["events"]!.AsArray()[7]!;
        var verify = await VerifyAsync(restarted, id);
        var summary = await AuditSummaryAsync(restarted);
        var clock = await SurrenderClockAsync(restarted, id);
        var versions = await EventVersionsAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(versions, Is.EqualTo(new long?[] { 1, 1, 1, 1, 1, 1, 1, 2, 2 }));
            Assert.That((string?)applied["type"], Is.EqualTo("RulesApplied"));
            Assert.That(applied["data"]!["deadlines"]!.AsArray().Select(d => ((string?)d!["kind"], (string?)d["oldDueAt"], (string?)d["newDueAt"])),
                Is.EqualTo(new[] { ("Surrender", Version1Due, Version2Due) }));
            Assert.That((string?)clock["status"], Is.EqualTo("Met"), "the surrender replayed under version 2");
            Assert.That((bool)verify["valid"]!, Is.True, verify.ToJsonString());
            Assert.That((bool)summary["valid"]!, Is.True, summary.ToJsonString());
        });
    }

    [Test]
    public async Task A_RulesApplied_events_dates_rewritten_with_every_hash_and_leaf_recomputed_differ_from_the_switch_replayed()
    {
        var id = await RecordedUnderVersion1Async();
        var restarted = Restarted();
        var history = (await restarted.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}/history"))!;
        // Before any checkpoint covers it, the administrator moves the corrected date a month on, in the event (its
        // hash, the head and the trees' leaves recomputed) and in the clock: everything agrees but the law.
        const string Forged = "2026-11-15T19:00:00.000Z";
        await _dba.RewriteEventAsync(id, history["events"]!.AsArray(), 8, e => e["data"]!["deadlines"]![0]!["newDueAt"] = Forged);
        await _dba.RunAsync("UPDATE Deadlines SET DueAt = $due WHERE CaseId = $id AND Kind = 'Surrender'", ("$due", Forged), ("$id", id));
        await restarted.PublishCheckpointsAsync();

        var verify = await VerifyAsync(restarted, id);
        Assert.Multiple(() =>
        {
            Assert.That((bool)verify["valid"]!, Is.False);
            Assert.That((int)verify["firstInvalidSequence"]!, Is.EqualTo(8));
            Assert.That((string?)verify["firstMismatch"]!["check"], Is.EqualTo("replay"));
            Assert.That((string?)verify["firstMismatch"]!["reason"], Does.Contain($"records Surrender {Version1Due} -> {Forged}")
                .And.Contain($"move Surrender {Version1Due} -> {Version2Due}"));
        });
    }

    [Test]
    public async Task The_rules_version_columns_outside_the_hashed_events_cannot_move_a_date()
    {
        var id = await RecordedUnderVersion1Async();
        // Marking the committal as made under version 2 would count its clock the corrected way in silence.
        await _dba.DropAppendOnlyTriggersAsync();
        await _dba.RunAsync("UPDATE CaseEvents SET RulesVersion = 2 WHERE CaseId = $id AND Sequence >= 5", ("$id", id));
        var marked = await VerifyAsync(_api, id);
        await _dba.RunAsync("UPDATE CaseEvents SET RulesVersion = 1 WHERE CaseId = $id", ("$id", id));
        // A row marked as computed under version 2 while its clocks are version 1's, with no RulesApplied event.
        await _dba.RunAsync("UPDATE Cases SET RulesVersion = 2 WHERE Id = $id", ("$id", id));
        var row = await VerifyAsync(_api, id);

        Assert.Multiple(() =>
        {
            Assert.That((string?)marked["firstMismatch"]!["check"], Is.EqualTo("replay"));
            Assert.That((int)marked["firstMismatch"]!["sequence"]!, Is.EqualTo(5));
            Assert.That((string?)marked["firstMismatch"]!["reason"], Does.Contain("no RulesApplied event records it"));
            Assert.That((string?)row["firstMismatch"]!["reason"], Does.Contain("rules version 2 replaces version 1").And.Contain("no RulesApplied event records it"));
        });
    }
}
