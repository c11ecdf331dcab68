using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Infrastructure.Transparency;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Transparency;

/// <summary>
/// Playing the database's administrator on SQLite: each tampering that the hash chain alone let through
/// (triggers dropped, an event rewritten with every hash recomputed, a party column changed, a feed row
/// deleted, a checkpoint forged) is reported by /history/verify and the auditor-wide /audit/verify, by case and sequence.
/// </summary>
public sealed class EvidenceTests
{
    private ApiFactory _api = null!;
    private Dba _dba = null!;

    [SetUp]
    public void Start()
    {
        _api = new ApiFactory();
        _dba = new Dba(_api.DatabasePath);
    }

    [TearDown]
    public void Stop() => _api.Dispose();

    private async Task<CaseDriver> RecordedCaseAsync()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("PK", "Submit");
        await c.FireAsync("GB", "Certify", new JsonObject { ["certificateReference"] = "S70-2026-001" });
        Assert.That((await c.PatchAsync("PK", new JsonObject { ["requestingAuthority"] = "Ministry of Interior, Islamabad" })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await c.FireAsync("GB", "IssueWarrant", new JsonObject { ["warrantReference"] = "S71-9", ["court"] = "Westminster Magistrates Court" });
        await c.FireAsync("GB", "Arrest");
        return c;
    }

    private async Task<List<JsonObject>> AuditAsync()
    {
        var response = await _api.ClientFor(Tokens.Auditor()).GetAsync("/api/v1/audit/verify");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-ndjson"));
        return [.. (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
    }

    private Task<JsonObject?> VerifyAsync(string id) => _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}/history/verify");

    [Test]
    public async Task Untouched_cases_replay_to_their_rows_and_every_event_is_in_the_signed_trees()
    {
        var c = await RecordedCaseAsync();
        var other = await CaseDriver.FileAsync(_api, Cases.NewCase("GB", "PK"));
        await _api.PublishCheckpointsAsync();
        await CaseDriver.FileAsync(_api);   // after the checkpoint: awaiting the next one, not a mismatch

        var lines = await AuditAsync();
        var summary = lines[^1];
        var verify = await VerifyAsync(c.Id);
        Assert.Multiple(() =>
        {
            Assert.That((string)lines[0]["type"]!, Is.EqualTo("progress"));
            Assert.That((string)summary["type"]!, Is.EqualTo("summary"));
            Assert.That((bool)summary["valid"]!, Is.True, summary.ToJsonString());
            Assert.That((long)summary["casesVerified"]!, Is.EqualTo(3));
            Assert.That((long)summary["events"]!, Is.EqualTo(8));
            // Seven events checkpointed, each in three trees; the last case's one event in three trees awaits.
            Assert.That((long)summary["includedInCheckpoints"]!, Is.EqualTo(21));
            Assert.That((long)summary["awaitingCheckpoint"]!, Is.EqualTo(3));
            Assert.That((bool)verify!["valid"]!, Is.True, verify.ToJsonString());
            Assert.That((int)verify["includedInCheckpoints"]!, Is.EqualTo(18));
        });
        _ = other;
    }

    [Test]
    public async Task An_event_rewritten_with_every_hash_recomputed_is_not_in_the_signed_tree()
    {
        var c = await RecordedCaseAsync();
        await _api.PublishCheckpointsAsync();
        var history = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history");
        await _dba.RewriteNoteAsync(c.Id, history!["events"]!.AsArray(), 3, "Certified on other grounds");

        var verify = await VerifyAsync(c.Id);
        var summary = (await AuditAsync())[^1];
        Assert.Multiple(() =>
        {
            Assert.That((bool)verify!["valid"]!, Is.False, "the chain alone says valid: it was recomputed");
            Assert.That((int)verify["firstInvalidSequence"]!, Is.EqualTo(3));
            Assert.That((string)verify["firstMismatch"]!["check"]!, Is.EqualTo("inclusion"));
            Assert.That((bool)summary["valid"]!, Is.False);
            Assert.That((string)summary["firstMismatch"]!["caseId"]!, Is.EqualTo(c.Id));
            Assert.That((int)summary["firstMismatch"]!["sequence"]!, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task A_party_column_changed_without_an_event_differs_from_the_replay()
    {
        var c = await RecordedCaseAsync();
        await _api.PublishCheckpointsAsync();
        // The case moves into France's view with no event at all.
        Assert.That(await _dba.RunAsync("UPDATE Cases SET RequestedState = 'FR' WHERE Id = $id", ("$id", c.Id)), Is.EqualTo(1));

        var verify = await VerifyAsync(c.Id);
        var lines = await AuditAsync();
        var mismatch = lines.Single(l => (string)l["type"]! == "mismatch");
        Assert.Multiple(() =>
        {
            Assert.That((bool)verify!["valid"]!, Is.False);
            Assert.That((string)verify["firstMismatch"]!["check"]!, Is.EqualTo("replay"));
            Assert.That((string)verify["firstMismatch"]!["reason"]!, Does.Contain("requestedState is FR, the events make it GB"));
            Assert.That((string)mismatch["caseId"]!, Is.EqualTo(c.Id));
            Assert.That((int)mismatch["sequence"]!, Is.EqualTo(6));
        });
    }

    [Test]
    public async Task A_state_changed_without_an_event_differs_from_the_replay()
    {
        var c = await RecordedCaseAsync();
        await _dba.RunAsync("UPDATE Cases SET State = 'Discharged' WHERE Id = $id", ("$id", c.Id));

        var verify = await VerifyAsync(c.Id);
        Assert.That((string)verify!["firstMismatch"]!["reason"]!, Does.Contain("state is Discharged, the events make it InitialHearing"));
    }

    [Test]
    public async Task A_deleted_feed_row_is_reported_at_its_event()
    {
        var c = await RecordedCaseAsync();
        await _api.PublishCheckpointsAsync();
        Assert.That(await _dba.RunAsync("DELETE FROM ChangeFeed WHERE Audience = 'GB' AND CaseId = $id AND Version = 4", ("$id", c.Id)), Is.EqualTo(1));

        var mismatch = (await AuditAsync()).Single(l => (string)l["type"]! == "mismatch");
        Assert.Multiple(() =>
        {
            Assert.That((int)mismatch["sequence"]!, Is.EqualTo(4));
            Assert.That((string)mismatch["check"]!, Is.EqualTo("feed"));
        });
    }

    [Test]
    public async Task A_checkpoint_row_the_log_key_did_not_sign_is_never_trusted()
    {
        var c = await RecordedCaseAsync();
        await _api.PublishCheckpointsAsync();
        var (forger, _) = TransparencyKeys.Generate("extradition-cases.test");
        var forged = new TransparencyKeys(new ExtraditionCases.Application.Transparency.TransparencyOptions { SigningKey = forger, Origin = TestKeys.Origin });
        var note = forged.SignNote(ExtraditionCases.Application.Transparency.SignedNote.CheckpointBody(TestKeys.Origin + "/all", 99, new byte[32]));
        await _dba.RunAsync("INSERT INTO TransparencyCheckpoints (Tree, TreeSize, RootHash, Note, PublishedAt) VALUES ('all', 99, $root, $note, '2026-11-20T10:00:00.000Z')",
            ("$root", new string('0', 64)), ("$note", note));

        var lines = await AuditAsync();
        Assert.Multiple(() =>
        {
            Assert.That(lines.Any(l => (string)l["type"]! == "forgedCheckpoint" && (string)l["tree"]! == "all"), Is.True);
            Assert.That((bool)lines[^1]["valid"]!, Is.False);
        });
        _ = c;
    }

    [Test]
    public async Task An_access_log_row_edited_after_its_checkpoint_is_reported()
    {
        var c = await RecordedCaseAsync();
        await _api.ClientFor(Tokens.Officer("GB")).GetAsync($"/api/v1/cases/{c.Id}");
        await _api.ClientFor(Tokens.Auditor()).GetAsync("/api/v1/audit/access");   // flushes the queue
        await _api.PublishCheckpointsAsync();
        var before = (await AuditAsync())[^1];

        await _dba.RunAsync("DROP TRIGGER TR_AccessLog_NoUpdate");
        Assert.That(await _dba.RunAsync("UPDATE AccessLog SET Subject = 'someone-else' WHERE Subject = 'officer-1-GB' AND CaseId = $id", ("$id", c.Id)), Is.GreaterThan(0));
        var lines = await AuditAsync();

        Assert.Multiple(() =>
        {
            Assert.That((bool)before["valid"]!, Is.True, before.ToJsonString());
            Assert.That((long)before["accessLogCheckpointed"]!, Is.GreaterThan(0));
            Assert.That(lines.Any(l => (string)l["type"]! == "accessLog" && ((string)l["reason"]!).Contains("differs from its leaf", StringComparison.Ordinal)), Is.True);
            Assert.That((bool)lines[^1]["valid"]!, Is.False);
        });
    }

    [Test]
    public async Task A_page_that_returned_no_cases_is_logged_with_an_empty_list_and_verifies_also_as_stored_before()
    {
        var c = await RecordedCaseAsync();
        var search = await _api.ClientFor(Tokens.Officer("PK")).GetAsync("/api/v1/search?q=Zzyzxq%20Nobody");
        Assert.That(search.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await _api.ClientFor(Tokens.Auditor()).GetAsync("/api/v1/audit/access");   // flushes the queue
        await _api.PublishCheckpointsAsync();
        var stored = await _dba.ScalarAsync("SELECT CaseIds FROM AccessLog WHERE Endpoint = '/api/v1/search' ORDER BY Id DESC LIMIT 1");
        var now = (await AuditAsync())[^1];

        // As the writer stored such an entry before: NULL, while its leaf had hashed the empty list.
        await _dba.RunAsync("DROP TRIGGER TR_AccessLog_NoUpdate");
        await _dba.RunAsync("UPDATE AccessLog SET CaseIds = NULL WHERE Endpoint = '/api/v1/search'");
        var before = (await AuditAsync())[^1];

        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.EqualTo("[]"));
            Assert.That((bool)now["valid"]!, Is.True, now.ToJsonString());
            Assert.That((bool)before["valid"]!, Is.True, before.ToJsonString());
        });
        _ = c;
    }
}
