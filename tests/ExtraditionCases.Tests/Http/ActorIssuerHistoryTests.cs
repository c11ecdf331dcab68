using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.History;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// Events carry <c>actor.issuer</c> from now on, and it is hashed into the chain. Events recorded
/// before issuers were stored have none: they read <c>issuer: null</c> and were hashed without the
/// member, and every verifier (the endpoint, tools/verify_history.py) still reproduces their hashes.
/// </summary>
public sealed class ActorIssuerHistoryTests
{
    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory();

    [TearDown]
    public void StopService() => _api.Dispose();

    [Test]
    public async Task A_new_event_records_the_issuer_of_the_token_and_hashes_it()
    {
        var c = await CaseDriver.FileAsync(_api);
        var history = await HistoryAsync(c.Id);
        var filed = history["events"]![0]!.AsObject();

        var withoutIssuer = filed.DeepClone().AsObject();
        withoutIssuer.Remove("hash");
        withoutIssuer["actor"]!.AsObject().Remove("issuer");

        Assert.Multiple(() =>
        {
            Assert.That((string?)filed["actor"]!["issuer"], Is.EqualTo(Tokens.Issuer));
            Assert.That(filed["actor"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "subject", "issuer", "role", "agency", "country" }));
            Assert.That((string?)filed["hash"], Is.Not.EqualTo(Hash(withoutIssuer)), "the issuer is part of what is hashed");
        });
    }

    [Test]
    public async Task Events_recorded_before_issuers_read_issuer_null_and_still_verify_and_the_chain_goes_on_from_them()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest", note: "Arrested at Heathrow");
        await RewriteAsLegacyAsync(c.Id);

        var legacy = await HistoryAsync(c.Id);
        var legacyVerify = await VerifyAsync(c.Id);
        var (legacyExit, legacyOutput) = await VerifyExportAsync(c.Id, "legacy.ndjson");

        await c.FireAsync("GB", "ReceiveFullRequest", new JsonObject { ["certificateReference"] = "S70-1" });
        var mixed = await HistoryAsync(c.Id);
        var mixedVerify = await VerifyAsync(c.Id);
        var (mixedExit, mixedOutput) = await VerifyExportAsync(c.Id, "mixed.ndjson");

        Assert.Multiple(() =>
        {
            foreach (var e in legacy["events"]!.AsArray())
            {
                Assert.That(e!["actor"]!.AsObject().ContainsKey("issuer"), Is.True, "the member is always present");
                Assert.That(e["actor"]!["issuer"], Is.Null);
            }

            Assert.That((bool?)legacyVerify["valid"], Is.True);
            Assert.That(legacyExit, Is.Zero, legacyOutput);
            Assert.That(legacyOutput, Does.StartWith("valid: 2 events"));
            Assert.That((string?)mixed["events"]![2]!["actor"]!["issuer"], Is.EqualTo(Tokens.Issuer));
            Assert.That((string?)mixed["events"]![2]!["prevHash"], Is.EqualTo((string?)legacy["head"]), "the chain continues from the legacy head");
            Assert.That((bool?)mixedVerify["valid"], Is.True);
            Assert.That((int?)mixedVerify["events"], Is.EqualTo(3));
            Assert.That(mixedExit, Is.Zero, mixedOutput);
            Assert.That(mixedOutput, Does.StartWith("valid: 3 events"));
        });
    }

    [TestCase(1, "https://forged.example", TestName = "Setting an issuer on an event recorded without one breaks the chain there")]
    [TestCase(3, null, TestName = "Clearing the issuer of an event recorded with one breaks the chain there")]
    public async Task Editing_an_issuer_breaks_the_chain(int sequence, string? issuer)
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");
        await RewriteAsLegacyAsync(c.Id);
        await c.FireAsync("GB", "ReceiveFullRequest", new JsonObject { ["certificateReference"] = "S70-1" });

        await using (var connection = await OpenWithoutAppendOnlyGuardAsync())
        {
            var command = connection.CreateCommand();
            command.CommandText = "UPDATE CaseEvents SET ActorIssuer = $issuer WHERE CaseId = $id AND Sequence = $sequence";
            command.Parameters.AddWithValue("$issuer", (object?)issuer ?? DBNull.Value);
            command.Parameters.AddWithValue("$id", c.Id);
            command.Parameters.AddWithValue("$sequence", sequence);
            Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        var verify = await VerifyAsync(c.Id);
        var (exitCode, output) = await VerifyExportAsync(c.Id, "edited.ndjson");

        Assert.Multiple(() =>
        {
            Assert.That((bool?)verify["valid"], Is.False);
            Assert.That((int?)verify["firstInvalidSequence"], Is.EqualTo(sequence));
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(output, Does.Contain($"INVALID at sequence {sequence}"));
        });
    }

    /// <summary>
    /// Turns the case's events into what an earlier release stored: no issuer, each hash computed over
    /// the event without the member (an independent recomputation: the JSON export, minus issuer and
    /// hash, canonicalised), chained again, and the case row's head moved to match.
    /// </summary>
    private async Task RewriteAsLegacyAsync(string caseId)
    {
        var events = (await HistoryAsync(caseId))["events"]!.AsArray();
        await using var connection = await OpenWithoutAppendOnlyGuardAsync();
        var previous = CaseEvent.GenesisHash;
        foreach (var e in events)
        {
            var legacy = e!.DeepClone().AsObject();
            legacy.Remove("hash");
            legacy["actor"]!.AsObject().Remove("issuer");
            legacy["prevHash"] = previous;
            var hash = Hash(legacy);

            var command = connection.CreateCommand();
            command.CommandText = "UPDATE CaseEvents SET ActorIssuer = NULL, PrevHash = $prev, Hash = $hash WHERE CaseId = $id AND Sequence = $sequence";
            command.Parameters.AddWithValue("$prev", previous);
            command.Parameters.AddWithValue("$hash", hash);
            command.Parameters.AddWithValue("$id", caseId);
            command.Parameters.AddWithValue("$sequence", (int)e["sequence"]!);
            Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1));
            // An earlier release's events entered the transparency trees through migration 0010's backfill,
            // as the hashes they had stored: the leaves carry the legacy hash too.
            var leaves = connection.CreateCommand();
            leaves.CommandText = "UPDATE TransparencyLeaves SET EntryHash = $hash WHERE CaseId = $id AND Sequence = $sequence";
            leaves.Parameters.AddWithValue("$hash", hash);
            leaves.Parameters.AddWithValue("$id", caseId);
            leaves.Parameters.AddWithValue("$sequence", (int)e["sequence"]!);
            Assert.That(await leaves.ExecuteNonQueryAsync(), Is.GreaterThan(0));
            previous = hash;
        }

        var head = connection.CreateCommand();
        head.CommandText = "UPDATE Cases SET HeadHash = $hash WHERE Id = $id";
        head.Parameters.AddWithValue("$hash", previous);
        head.Parameters.AddWithValue("$id", caseId);
        Assert.That(await head.ExecuteNonQueryAsync(), Is.EqualTo(1));
    }

    private static string Hash(JsonObject eventWithoutHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((string)eventWithoutHash["prevHash"]! + "\n" + Jcs.Canonicalize(eventWithoutHash))));

    /// <summary>On SQLite the append-only guard is a trigger a test may drop, as a tamperer with file access could.</summary>
    private async Task<SqliteConnection> OpenWithoutAppendOnlyGuardAsync()
    {
        var connection = new SqliteConnection($"Data Source={_api.DatabasePath}");
        await connection.OpenAsync();
        var drop = connection.CreateCommand();
        drop.CommandText = "DROP TRIGGER IF EXISTS TR_CaseEvents_NoUpdate; DROP TRIGGER IF EXISTS TR_TransparencyLeaves_NoUpdate;";
        await drop.ExecuteNonQueryAsync();
        return connection;
    }

    private async Task<JsonObject> HistoryAsync(string caseId) =>
        (await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/history"))!;

    private async Task<JsonObject> VerifyAsync(string caseId) =>
        (await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/history/verify"))!;

    private async Task<(int ExitCode, string Output)> VerifyExportAsync(string caseId, string name)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cases/{caseId}/history");
        request.Headers.TryAddWithoutValidation("Accept", "application/x-ndjson");
        var export = await _api.ClientFor(Tokens.Auditor()).SendAsync(request);
        var file = Path.Combine(_api.Folder, name);
        await File.WriteAllTextAsync(file, await export.Content.ReadAsStringAsync());
        return await Python.RunAsync(Python.VerifyHistoryScript, file);
    }
}
