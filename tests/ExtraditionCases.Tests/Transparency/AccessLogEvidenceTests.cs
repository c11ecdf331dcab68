using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Transparency;

/// <summary>An access log that loses nothing it acknowledged: refused (503, Retry-After) rather than served unlogged; bounded under a flood; drained on SIGTERM.</summary>
public sealed class AccessLogEvidenceTests
{
    private static HttpRequestMessage Traced(string url, string traceId) => new(HttpMethod.Get, url)
    {
        Headers = { { "traceparent", $"00-{traceId}-00f067aa0ba902b7-01" } },
    };

    private static string NewTraceId() => Guid.NewGuid().ToString("N");

    [Test]
    public async Task While_the_log_cannot_be_written_case_reads_are_refused_503_and_what_was_served_is_stored_once_it_can()
    {
        using var api = new ApiFactory();
        var dba = new Dba(api.DatabasePath);
        var officer = api.ClientFor(Tokens.Officer("PK"));
        var id = (string)(await Cases.FileAsync(officer))["id"]!;
        // The filing's own entry stored first: written after the fault, it would be the failure that closes the log.
        await api.FlushAccessLogAsync();

        await dba.RunAsync("ALTER TABLE AccessLog RENAME TO AccessLogAway");
        var served = NewTraceId();
        Assert.That((await officer.SendAsync(Traced($"/api/v1/cases/{id}", served))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "admitted before the fault was known");

        HttpResponseMessage refused = null!;
        for (var i = 0; i < 200; i++)
        {
            refused = await officer.GetAsync($"/api/v1/cases/{id}");
            if (refused.StatusCode == HttpStatusCode.ServiceUnavailable) break;
            await Task.Delay(25);
        }

        var workflow = await officer.GetAsync("/api/v1/workflow");
        await dba.RunAsync("ALTER TABLE AccessLogAway RENAME TO AccessLog");
        HttpResponseMessage back = null!;
        for (var i = 0; i < 400; i++)
        {
            back = await officer.GetAsync($"/api/v1/cases/{id}");
            if (back.StatusCode == HttpStatusCode.OK) break;
            await Task.Delay(25);
        }

        var access = await api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/audit/access?caseId={id}&limit=200");
        Assert.Multiple(async () =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("traceId"));
            Assert.That(workflow.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the workflow description is not case data");
            Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(access!["items"]!.AsArray().Select(e => (string?)e!["traceId"]), Does.Contain(served), "the request served during the fault was stored");
        });
    }

    [Test]
    public async Task List_and_feed_reads_record_the_case_ids_they_returned()
    {
        using var api = new ApiFactory();
        var officer = api.ClientFor(Tokens.Officer("PK"));
        var a = (string)(await Cases.FileAsync(officer))["id"]!;
        var b = (string)(await Cases.FileAsync(officer))["id"]!;
        var list = NewTraceId();
        var feed = NewTraceId();
        await officer.SendAsync(Traced("/api/v1/cases", list));
        await api.ClientFor(Tokens.Partner("GB")).SendAsync(Traced("/api/v1/changes", feed));

        var items = (await api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>("/api/v1/audit/access?limit=200"))!["items"]!.AsArray();
        string[] Ids(string trace) => [.. items.Single(e => (string?)e!["traceId"] == trace)!["caseIds"]!.AsArray().Select(i => (string)i!)];
        Assert.Multiple(() =>
        {
            Assert.That(Ids(list), Is.EquivalentTo(new[] { a, b }));
            Assert.That(Ids(feed), Is.EquivalentTo(new[] { a, b }));
        });
    }

    [Test]
    public async Task A_search_records_the_case_ids_it_returned()
    {
        using var api = new ApiFactory();
        var officer = api.ClientFor(Tokens.Officer("PK"));
        var a = (string)(await Cases.FileAsync(officer, Cases.NewCase(fullName: "Zarghuna Khattak")))["id"]!;
        await Cases.FileAsync(officer, Cases.NewCase(fullName: "Imran Qureshi"));
        var search = NewTraceId();
        var response = await officer.SendAsync(Traced("/api/v1/search?q=Zarghuna", search));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var items = (await api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>("/api/v1/audit/access?limit=200"))!["items"]!.AsArray();
        var entry = items.Single(e => (string?)e!["traceId"] == search)!;
        Assert.That(entry["caseIds"]!.AsArray().Select(i => (string)i!), Is.EqualTo(new[] { a }));
    }

    [Test]
    public async Task A_flood_stays_bounded_and_nothing_acknowledged_is_lost_across_SIGTERM()
    {
        var folder = Path.Combine(Path.GetTempPath(), "extradition-flood", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "cases.db");
        try
        {
            var answers = new List<(string Trace, HttpStatusCode Status, string? RetryAfter)>();
            await using (var service = await ServiceProcess.StartAsync(folder, database, new Dictionary<string, string>
                         {
                             ["AccessLog__QueueCapacity"] = "16",
                             ["Transparency__SigningKey"] = TestKeys.Log.PrivateKey,
                         }))
            {
                var pk = service.ClientFor(Tokens.Officer("PK"));
                var id = (string)(await Cases.FileAsync(pk))["id"]!;
                // An unauthenticated flood: noise, rolled up per client and minute.
                var anonymous = service.ClientFor("");
                anonymous.DefaultRequestHeaders.Authorization = null;
                var noise = Enumerable.Range(0, 600).Select(async _ =>
                {
                    var response = await anonymous.GetAsync("/api/v1/cases");
                    Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "noise takes no place in the queue: always its 401");
                });
                var reads = Enumerable.Range(0, 400).Select(async _ =>
                {
                    var trace = NewTraceId();
                    var response = await pk.SendAsync(Traced($"/api/v1/cases/{id}", trace));
                    lock (answers) answers.Add((trace, response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                });
                await Task.WhenAll(noise.Cast<Task>().Concat(reads));
                Assert.That(await service.StopAsync(), Is.Zero, await service.OutputAsync());
            }

            await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            var stored = new HashSet<string>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT TraceId FROM AccessLog WHERE Endpoint = '/api/v1/cases/{id:guid}'";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
            }

            long rolledUpRows, rolledUpRequests;
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT COUNT(*), COALESCE(SUM(RequestCount), 0) FROM AccessLog WHERE Status = 401";
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                (rolledUpRows, rolledUpRequests) = (reader.GetInt64(0), reader.GetInt64(1));
            }

            var acknowledged = answers.Where(a => a.Status != HttpStatusCode.ServiceUnavailable).ToList();
            var refused = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(answers.Select(a => a.Status).Distinct(), Is.SubsetOf(new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
                Assert.That(acknowledged.Where(a => !stored.Contains(a.Trace)), Is.Empty, "every acknowledged read is in the log after SIGTERM");
                Assert.That(refused.Select(r => r.RetryAfter), Is.All.EqualTo("5"));
                Assert.That(rolledUpRequests, Is.EqualTo(600), "every refusal counted");
                Assert.That(rolledUpRows, Is.LessThanOrEqualTo(3), "600 refusals of one client make a row per minute, not 600");
            });
            TestContext.Out.WriteLine($"{acknowledged.Count} acknowledged, {refused.Count} refused 503 with queue capacity 16");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
