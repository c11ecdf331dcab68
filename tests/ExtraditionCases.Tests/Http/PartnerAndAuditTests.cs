using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Http;

public sealed class PartnerAndAuditTests
{
    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory();

    [TearDown]
    public void StopService() => _api.Dispose();

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? ifNoneMatch = null, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return await client.SendAsync(request);
    }

    [Test]
    public async Task Status_answers_304_until_the_case_changes()
    {
        var c = await CaseDriver.FileAsync(_api);
        var partner = _api.ClientFor(Tokens.Partner("GB"));

        var first = await GetAsync(partner, $"/api/v1/cases/{c.Id}/status");
        var status = await first.ReadObjectAsync();
        var etag = first.Headers.ETag!.Tag;
        var unchanged = await GetAsync(partner, $"/api/v1/cases/{c.Id}/status", etag);
        await c.FireAsync("GB", "ProvisionalArrest");
        var changed = await GetAsync(partner, $"/api/v1/cases/{c.Id}/status", etag);
        var changedBody = await changed.ReadObjectAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(etag, Is.EqualTo("\"1\""));
            Assert.That(status.Select(p => p.Key), Is.EquivalentTo(new[] { "id", "reference", "state", "stateSince", "version", "updatedAt", "nextDeadline", "assignees" }), "the contract's members and the assignees (issue 14)");
            Assert.That(status["nextDeadline"], Is.Null);
            Assert.That(unchanged.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(await unchanged.Content.ReadAsByteArrayAsync(), Is.Empty);
            Assert.That(unchanged.Headers.ETag!.Tag, Is.EqualTo("\"1\""));
            Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(changed.Headers.ETag!.Tag, Is.EqualTo("\"2\""));
            Assert.That((string?)changedBody["state"], Is.EqualTo("ProvisionalArrest"));
            Assert.That((string?)changedBody["nextDeadline"]!["kind"], Is.EqualTo("FullRequest"));
        });
    }

    [Test]
    public async Task A_partner_of_an_unrelated_country_sees_nothing_of_the_case()
    {
        var c = await CaseDriver.FileAsync(_api);
        var outsider = _api.ClientFor(Tokens.Partner("FR"));
        var insider = _api.ClientFor(Tokens.Partner("PK"));

        var status = await outsider.GetAsync($"/api/v1/cases/{c.Id}/status");
        var outsiderFeed = await outsider.GetFromJsonAsync<JsonObject>("/api/v1/changes");
        var insiderFeed = await insider.GetFromJsonAsync<JsonObject>("/api/v1/changes");

        Assert.Multiple(() =>
        {
            Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(outsiderFeed!["items"]!.AsArray(), Is.Empty);
            Assert.That((string?)outsiderFeed["nextCursor"], Is.Not.Null.And.Not.Empty, "nextCursor is always a string");
            Assert.That(insiderFeed!["items"]!.AsArray().Select(i => (string?)i!["caseId"]), Is.EqualTo(new[] { c.Id }));
        });
    }

    [Test]
    public async Task A_country_claim_that_is_no_country_sees_no_feed()
    {
        await CaseDriver.FileAsync(_api);
        var impostor = _api.ClientFor(Tokens.Mint(new() { ["role"] = "partner", ["country"] = "**", ["sub"] = "impostor" }));

        var feed = await impostor.GetFromJsonAsync<JsonObject>("/api/v1/changes");

        Assert.That(feed!["items"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Verify_notices_a_history_whose_tail_was_deleted()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");
        await using (var connection = new SqliteConnection($"Data Source={_api.DatabasePath}"))
        {
            await connection.OpenAsync();
            var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER TR_CaseEvents_NoDelete";
            await command.ExecuteNonQueryAsync();
            command.CommandText = "DELETE FROM CaseEvents WHERE CaseId = $id AND Sequence = 2";
            command.Parameters.AddWithValue("$id", c.Id);
            Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        var verify = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history/verify");

        Assert.Multiple(() =>
        {
            Assert.That((bool?)verify!["valid"], Is.False);
            Assert.That((int?)verify["firstInvalidSequence"], Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_csv_cell_cannot_start_a_spreadsheet_formula()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest", note: "=HYPERLINK(\"http://evil.example\")");

        var csv = await GetAsync(_api.ClientFor(Tokens.Auditor()), $"/api/v1/cases/{c.Id}/history", accept: "text/csv");

        Assert.That(await csv.Content.ReadAsStringAsync(), Does.Contain("\"'=HYPERLINK(").And.Not.Contain(",\"=HYPERLINK("));
    }

    [Test]
    public async Task The_feed_cursor_stays_put_when_nothing_new_and_reveals_no_other_countrys_activity()
    {
        var pk = _api.ClientFor(Tokens.Partner("PK"));
        await CaseDriver.FileAsync(_api);
        var page = await pk.GetFromJsonAsync<JsonObject>("/api/v1/changes");
        var cursor = (string)page!["nextCursor"]!;

        // Heavy activity between two other countries...
        for (var i = 0; i < 5; i++) await CaseDriver.FileAsync(_api, Cases.NewCase("US", "GB"), requesting: "US");
        var again = await pk.GetFromJsonAsync<JsonObject>($"/api/v1/changes?cursor={cursor}");

        Assert.Multiple(() =>
        {
            Assert.That(again!["items"]!.AsArray(), Is.Empty);
            Assert.That((string?)again["nextCursor"], Is.EqualTo(cursor), "...leaves PK's cursor exactly where it was");
        });
    }

    [Test]
    public async Task A_malformed_cursor_or_limit_is_400()
    {
        var pk = _api.ClientFor(Tokens.Partner("PK"));

        var responses = await Task.WhenAll(
            pk.GetAsync("/api/v1/changes?cursor=bm90LWEtY3Vyc29y"),
            pk.GetAsync("/api/v1/changes?cursor=!!"),
            pk.GetAsync("/api/v1/changes?limit=0"),
            pk.GetAsync("/api/v1/changes?limit=1001"),
            pk.GetAsync("/api/v1/changes?limit=-5"));

        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_poller_sees_every_version_of_every_case_exactly_once_and_in_order_while_8_writers_hammer_20_cases()
    {
        var cases = new List<CaseDriver>();
        for (var i = 0; i < 20; i++) cases.Add(await CaseDriver.FileAsync(_api));
        var officer = _api.ClientFor(Tokens.Officer("GB"));
        var partner = _api.ClientFor(Tokens.Partner("PK"));
        using var writersDone = new CancellationTokenSource();
        var seen = new List<(string CaseId, int Version)>();

        var poller = Task.Run(async () =>
        {
            string? cursor = null;
            var finalPass = false;
            while (true)
            {
                var page = await partner.GetFromJsonAsync<JsonObject>(cursor is null ? "/api/v1/changes?limit=37" : $"/api/v1/changes?limit=37&cursor={cursor}");
                var items = page!["items"]!.AsArray();
                seen.AddRange(items.Select(i => ((string)i!["caseId"]!, (int)i["version"]!)));
                cursor = (string)page["nextCursor"]!;
                if (items.Count > 0) continue;
                if (finalPass) return;
                if (writersDone.IsCancellationRequested) finalPass = true;
                else await Task.Delay(5);
            }
        });

        var successes = 0;
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var n = 0; n < 25; n++)
            {
                var target = cases[random.Next(cases.Count)];
                var status = await officer.GetAsync($"/api/v1/cases/{target.Id}/status");
                var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/cases/{target.Id}")
                {
                    Content = Cases.Json(new JsonObject { ["requestingAuthority"] = $"writer {w} edit {n}" }, "application/merge-patch+json"),
                };
                request.Headers.TryAddWithoutValidation("If-Match", status.Headers.ETag!.Tag);
                var response = await officer.SendAsync(request);
                Assert.That((int)response.StatusCode, Is.AnyOf(200, 412));
                if (response.IsSuccessStatusCode) Interlocked.Increment(ref successes);
            }
        })).ToArray();

        await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        await poller;

        var finalVersions = new Dictionary<string, int>();
        foreach (var c in cases)
        {
            var status = await partner.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/status");
            finalVersions[c.Id] = (int)status!["version"]!;
        }

        Assert.Multiple(() =>
        {
            Assert.That(seen, Has.Count.EqualTo(20 + successes), "every event once");
            Assert.That(seen.Distinct().Count(), Is.EqualTo(seen.Count), "no repeats");
            foreach (var c in cases)
            {
                var versions = seen.Where(s => s.CaseId == c.Id).Select(s => s.Version).ToList();
                Assert.That(versions, Is.EqualTo(Enumerable.Range(1, finalVersions[c.Id]).ToList()), $"case {c.Id} in order without gaps");
            }
        });
    }

    [Test]
    public async Task History_has_exactly_the_contracts_members_and_a_chain_that_verifies()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest", new JsonObject { ["court"] = "Westminster" }, note: "Arrested at Heathrow");
        await c.PatchAsync("GB", new JsonObject { ["requestingAuthority"] = "وزارت داخلہ" });
        var auditor = _api.ClientFor(Tokens.Auditor());

        var history = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history");
        var verify = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history/verify");

        var events = history!["events"]!.AsArray();
        string[] members = ["sequence", "type", "trigger", "fromState", "toState", "occurredAt", "recordedAt", "actor", "source", "note", "data", "prevHash", "hash"];
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => (string?)e!["type"]), Is.EqualTo(new[] { "CaseFiled", "Transitioned", "CaseUpdated" }));
            Assert.That(events.Select(e => e!.AsObject().Select(p => p.Key)), Is.All.EquivalentTo(members));
            Assert.That(events[0]!["prevHash"]!.ToString(), Is.EqualTo(new string('0', 64)));
            Assert.That(events[1]!["prevHash"]!.ToString(), Is.EqualTo(events[0]!["hash"]!.ToString()));
            Assert.That((string?)history["head"], Is.EqualTo(events[2]!["hash"]!.ToString()));
            Assert.That((string?)events[0]!["data"]!["person"]!["fullName"], Is.EqualTo(Cases.UrduName));
            Assert.That((string?)events[1]!["data"]!["court"], Is.EqualTo("Westminster"));
            Assert.That((string?)events[1]!["actor"]!["country"], Is.EqualTo("GB"));
            Assert.That(events[2]!["data"]!.ToJsonString(),
                Is.EqualTo(new JsonObject { ["changes"] = new JsonArray(new JsonObject { ["path"] = "/requestingAuthority", ["old"] = null, ["new"] = "وزارت داخلہ" }) }.ToJsonString()));
            Assert.That((bool?)verify!["valid"], Is.True);
            Assert.That((int?)verify["events"], Is.EqualTo(3));
            Assert.That(verify["firstInvalidSequence"], Is.Null);
            Assert.That((string?)verify["head"], Is.EqualTo((string?)history["head"]));
        });
    }

    [Test]
    public async Task History_exports_as_ndjson_and_csv()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest", note: "He said \"no comment\", then left");
        var auditor = _api.ClientFor(Tokens.Auditor());

        var ndjson = await GetAsync(auditor, $"/api/v1/cases/{c.Id}/history", accept: "application/x-ndjson");
        var csv = await GetAsync(auditor, $"/api/v1/cases/{c.Id}/history", accept: "text/csv");
        var lines = (await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var csvText = await csv.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(ndjson.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-ndjson"));
            Assert.That(lines, Has.Length.EqualTo(2));
            Assert.That((int?)JsonNode.Parse(lines[1])!["sequence"], Is.EqualTo(2));
            Assert.That(csv.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
            Assert.That(csvText, Does.StartWith("sequence,type,trigger,fromState,toState,occurredAt,recordedAt,actor,source,note,data,prevHash,hash\r\n"));
            Assert.That(csvText, Does.Contain("\"He said \"\"no comment\"\", then left\""));
            Assert.That(csvText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(3));
        });
    }

    [Test]
    public async Task Verify_finds_the_first_event_edited_behind_the_services_back()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");
        await c.FireAsync("GB", "ReceiveFullRequest", new JsonObject { ["certificateReference"] = "S70-1" });
        var auditor = _api.ClientFor(Tokens.Auditor());

        await using (var connection = new SqliteConnection($"Data Source={_api.DatabasePath}"))
        {
            await connection.OpenAsync();
            var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER TR_CaseEvents_NoUpdate";
            await command.ExecuteNonQueryAsync();
            command.CommandText = "UPDATE CaseEvents SET Note = 'Nothing happened' WHERE CaseId = $id AND Sequence = 2";
            command.Parameters.AddWithValue("$id", c.Id);
            Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        var verify = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history/verify");

        Assert.Multiple(() =>
        {
            Assert.That((bool?)verify!["valid"], Is.False);
            Assert.That((int?)verify["firstInvalidSequence"], Is.EqualTo(2));
            Assert.That((int?)verify["events"], Is.EqualTo(3));
        });
    }

    [Test]
    public async Task The_append_only_trigger_refuses_edits_to_history()
    {
        var c = await CaseDriver.FileAsync(_api);
        await using var connection = new SqliteConnection($"Data Source={_api.DatabasePath}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "UPDATE CaseEvents SET Note = 'x' WHERE CaseId = $id";
        command.Parameters.AddWithValue("$id", c.Id);

        var refused = Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());

        Assert.That(refused!.Message, Does.Contain("append-only"));
    }

    [Test]
    public async Task The_README_script_verifies_an_ndjson_export_on_its_own()
    {
        var c = await CaseDriver.FileAsync(_api, Cases.NewCase(fullName: Cases.ArabicName));
        await c.FireAsync("GB", "ProvisionalArrest", note: "Tab\tand newline\nin a note");
        await c.PatchAsync("GB", new JsonObject { ["person"] = new JsonObject { ["placeOfBirth"] = "کراچی \u2028 𝒳" } });
        var export = await GetAsync(_api.ClientFor(Tokens.Auditor()), $"/api/v1/cases/{c.Id}/history", accept: "application/x-ndjson");
        var file = Path.Combine(_api.Folder, "history.ndjson");
        await File.WriteAllTextAsync(file, await export.Content.ReadAsStringAsync());

        var (exitCode, output) = await Python.RunAsync(Path.Combine(Repository.Root, "tools", "verify_history.py"), file);
        var lines = (await File.ReadAllLinesAsync(file)).ToList();
        lines[1] = lines[1].Replace("Tab", "Tap", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(file, lines);
        var (tamperedExit, tamperedOutput) = await Python.RunAsync(Path.Combine(Repository.Root, "tools", "verify_history.py"), file);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.StartWith("valid: 3 events"));
            Assert.That(tamperedExit, Is.EqualTo(1));
            Assert.That(tamperedOutput, Does.Contain("INVALID at sequence 2"));
        });
    }

    [Test]
    public async Task The_README_script_verifies_the_checkpoint_signature_and_each_inclusion_of_a_json_export()
    {
        var c = await CaseDriver.FileAsync(_api, Cases.NewCase(fullName: Cases.ArabicName));
        await c.FireAsync("GB", "ProvisionalArrest", note: "Tab\tand newline\nin a note");
        await _api.PublishCheckpointsAsync();
        await c.FireAsync("GB", "Discharge", new JsonObject { ["by"] = "Judge", ["ground"] = "Passage of time (s.82)" });
        var export = await GetAsync(_api.ClientFor(Tokens.Auditor()), $"/api/v1/cases/{c.Id}/history");
        var file = Path.Combine(_api.Folder, "history.json");
        var text = await export.Content.ReadAsStringAsync();
        await File.WriteAllTextAsync(file, text);
        var script = Path.Combine(Repository.Root, "tools", "verify_history.py");
        var key = TestKeys.Log.PublicKey.VerifierKey;

        var (exitCode, output) = await RunPythonAsync(script, file, "--key", key);
        var (otherKeyExit, otherKeyOutput) = await RunPythonAsync(script, file, "--key",
            ExtraditionCases.Infrastructure.Transparency.TransparencyKeys.Generate("extradition-cases.test").PublicKey.VerifierKey);
        var json = JsonNode.Parse(text)!.AsObject();
        var proof = json["transparency"]!["leaves"]![1]!["proof"]!.AsArray();
        var first = Convert.FromBase64String((string)proof[0]!);
        first[0] ^= 1;
        proof[0] = Convert.ToBase64String(first);
        await File.WriteAllTextAsync(file, json.ToJsonString());
        var (tamperedExit, tamperedOutput) = await RunPythonAsync(script, file, "--key", key);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.StartWith("valid: 3 events").And.Contain("size 2 signed; 2 events included, 1 awaiting a checkpoint"));
            Assert.That(otherKeyExit, Is.EqualTo(1));
            Assert.That(otherKeyOutput, Does.Contain("not signed by the key"));
            Assert.That(tamperedExit, Is.EqualTo(1));
            Assert.That(tamperedOutput, Does.Contain("INVALID inclusion at sequence 2"));
        });
    }

    private static async Task<(int ExitCode, string Output)> RunPythonAsync(params string[] arguments)
    {
        var python = new[] { "/usr/bin/python3", "/usr/local/bin/python3" }.FirstOrDefault(File.Exists) ?? "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Test]
    public async Task Reads_of_cases_and_failed_authentications_reach_the_access_log()
    {
        var c = await CaseDriver.FileAsync(_api);
        var auditor = _api.ClientFor(Tokens.Auditor());
        await _api.ClientFor(Tokens.Officer("GB")).GetAsync($"/api/v1/cases/{c.Id}");
        await _api.ClientFor(Tokens.Officer("FR")).GetAsync($"/api/v1/cases/{c.Id}");
        await _api.ClientFor(Tokens.Partner("PK")).GetAsync("/api/v1/changes");
        await _api.CreateClient().GetAsync($"/api/v1/cases/{c.Id}/history");

        // Entries are written off the request path, a moment after each response: poll briefly.
        JsonArray entries = [];
        for (var attempt = 0; attempt < 50 && entries.Count < 4; attempt++)
        {
            if (attempt > 0) await Task.Delay(50);
            entries = (await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit/access?caseId={c.Id}"))!["items"]!.AsArray();
        }

        var all = await auditor.GetFromJsonAsync<JsonObject>("/api/v1/audit/access?limit=1000");

        Assert.Multiple(() =>
        {
            Assert.That(entries.Any(e => (string?)e!["subject"] == "officer-1-GB" && (int?)e["status"] == 200
                && (string?)e["endpoint"] == "/api/v1/cases/{id:guid}" && (string?)e["method"] == "GET" && (string?)e["country"] == "GB"), Is.True);
            Assert.That(entries.Any(e => (string?)e!["subject"] == "officer-1-FR" && (int?)e["status"] == 404), Is.True, "refused reads too");
            Assert.That(entries.Any(e => e!["subject"] is null && (int?)e["status"] == 401), Is.True, "failed authentication");
            Assert.That(all!["items"]!.AsArray().Any(e => (string?)e!["endpoint"] == "/api/v1/changes" && (string?)e["role"] == "partner"), Is.True);
        });
    }

    [Test]
    public async Task Audit_events_list_across_cases_with_filters_and_paging()
    {
        var a = await CaseDriver.FileAsync(_api);
        var b = await CaseDriver.FileAsync(_api);
        await a.FireAsync("GB", "ProvisionalArrest");
        var auditor = _api.ClientFor(Tokens.Auditor());

        var firstPage = await auditor.GetFromJsonAsync<JsonObject>("/api/v1/audit/events?limit=2");
        var secondPage = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit/events?limit=2&cursor={firstPage!["nextCursor"]}");
        var onlyA = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit/events?caseId={a.Id}");
        var byGb = await auditor.GetFromJsonAsync<JsonObject>("/api/v1/audit/events?actorSubject=officer-1-GB");
        var officerTries = await _api.ClientFor(Tokens.Officer("GB")).GetAsync("/api/v1/audit/events");

        Assert.Multiple(() =>
        {
            Assert.That(firstPage["items"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(secondPage!["items"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(secondPage["nextCursor"], Is.Null);
            Assert.That(onlyA!["items"]!.AsArray().Select(e => (string?)e!["caseId"]), Is.All.EqualTo(a.Id));
            Assert.That(onlyA["items"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(byGb!["items"]!.AsArray().Select(e => (string?)e!["trigger"]), Is.EqualTo(new[] { "ProvisionalArrest" }));
            Assert.That(officerTries.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(b.Id, Is.Not.EqualTo(a.Id));
        });
    }
}
