using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;
using ExtraditionCases.Witness;

namespace ExtraditionCases.Tests.Transparency;

/// <summary>
/// The witness a partner state runs (tools/ExtraditionCases.Witness), against the real host: it keeps what it saw,
/// cosigns what is consistent, and catches each of the administrator's tamperings against the checkpoint it kept.
/// </summary>
public sealed class WitnessTests
{
    private ApiFactory _api = null!;
    private Dba _dba = null!;
    private string _state = null!;

    [SetUp]
    public void Start()
    {
        _api = new ApiFactory();
        _dba = new Dba(_api.DatabasePath);
        _state = Path.Combine(_api.Folder, "witness-state");
    }

    [TearDown]
    public void Stop() => _api.Dispose();

    /// <summary>The UK's witness: a GB officer's token, its own key, the log key pinned.</summary>
    private Task<WitnessReport> WitnessAsync() =>
        new WitnessRun(_api.ClientFor(Tokens.Officer("GB", "witness")), new WitnessOptions(TestKeys.Witness.PrivateKey, TestKeys.Log.PublicKey.VerifierKey, _state),
            _api.Clock).RunAsync(CancellationToken.None);

    private async Task<CaseDriver> CaseAsync()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("PK", "Submit");
        await c.FireAsync("GB", "Certify", new JsonObject { ["certificateReference"] = "S70-2026-001" });
        return c;
    }

    [Test]
    public async Task The_witness_keeps_cosigns_and_follows_an_honest_log()
    {
        await CaseAsync();
        await _api.PublishCheckpointsAsync();
        var first = await WitnessAsync();
        await CaseAsync();
        await _api.PublishCheckpointsAsync();
        var second = await WitnessAsync();
        var served = await _api.ClientFor(Tokens.Partner("GB")).GetFromJsonAsync<JsonObject>("/api/v1/transparency/checkpoint");

        Assert.Multiple(() =>
        {
            Assert.That(first.Alerts, Is.Empty);
            Assert.That((first.Size, first.Cosigned), Is.EqualTo((3L, true)));
            Assert.That(second.Alerts, Is.Empty);
            Assert.That((second.Size, second.Cosigned), Is.EqualTo((6L, true)));
            Assert.That((string)served!["note"]!, Does.Contain("\u2014 witness.gb.test "));
            Assert.That(File.Exists(Path.Combine(_state, "GB.json")), Is.True);
        });
    }

    [Test]
    public async Task A_rewritten_event_with_recomputed_hashes_is_caught_against_the_kept_checkpoint()
    {
        var c = await CaseAsync();
        await _api.PublishCheckpointsAsync();
        Assert.That((await WitnessAsync()).Alerts, Is.Empty);
        var history = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history");
        await _dba.RewriteNoteAsync(c.Id, history!["events"]!.AsArray(), 2, "Submitted later");

        var report = await WitnessAsync();
        Assert.Multiple(() =>
        {
            Assert.That(report.Cosigned, Is.False);
            Assert.That(report.Alerts, Has.Some.Contains($"case {c.Id} version 2"));
        });
    }

    [Test]
    public async Task A_party_column_changed_takes_a_case_out_of_the_witness_view_and_it_notices()
    {
        var c = await CaseAsync();
        await _api.PublishCheckpointsAsync();
        Assert.That((await WitnessAsync()).Alerts, Is.Empty);
        await _dba.RunAsync("UPDATE Cases SET RequestedState = 'FR' WHERE Id = $id", ("$id", c.Id));

        var report = await WitnessAsync();
        Assert.That(report.Alerts, Has.Some.Contains($"case {c.Id}").And.Some.Contains("404"));
    }

    [Test]
    public async Task A_deleted_feed_row_shows_as_a_skipped_leaf()
    {
        await CaseAsync();
        await _api.PublishCheckpointsAsync();
        Assert.That((await WitnessAsync()).Alerts, Is.Empty);
        var c = await CaseAsync();
        await _api.PublishCheckpointsAsync();
        await _dba.RunAsync("DELETE FROM ChangeFeed WHERE Audience = 'GB' AND CaseId = $id AND Version = 2", ("$id", c.Id));

        var report = await WitnessAsync();
        Assert.That(report.Alerts, Has.Some.Contains("feed"));
    }

    [Test]
    public async Task Dropped_triggers_and_a_rolled_back_tree_are_caught()
    {
        await CaseAsync();
        await _api.PublishCheckpointsAsync();
        await CaseAsync();
        await _api.PublishCheckpointsAsync();
        Assert.That((await WitnessAsync()).Alerts, Is.Empty);

        // The administrator drops the triggers and removes the latest checkpoint, the tree's newest leaves and nodes.
        await _dba.DropAppendOnlyTriggersAsync();
        await _dba.RunAsync("DELETE FROM TransparencyCheckpoints WHERE Tree = 'GB' AND TreeSize = 6");

        var report = await WitnessAsync();
        Assert.That(report.Alerts, Has.Some.Contains("shrank"));
    }
}
