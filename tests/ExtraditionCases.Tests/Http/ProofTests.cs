using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Http;

/// <summary>Lost updates, crash safety and restart safety, proven against the real service.</summary>
public sealed class ProofTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "extradition-proof", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Thirty_two_concurrent_writes_with_the_same_etag_give_exactly_one_success()
    {
        using var api = new ApiFactory();
        var c = await CaseDriver.FileAsync(api);
        var gb = api.ClientFor(Tokens.Officer("GB"));

        var writes = Enumerable.Range(0, 32).Select(i =>
        {
            var request = i % 2 == 0
                ? new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{c.Id}/transitions") { Content = Cases.Json(new JsonObject { ["trigger"] = "ProvisionalArrest" }) }
                : new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/cases/{c.Id}")
                {
                    Content = Cases.Json(new JsonObject { ["requestingAuthority"] = $"writer {i}" }, "application/merge-patch+json"),
                };
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            return gb.SendAsync(request);
        });
        var responses = await Task.WhenAll(writes);

        var auditor = api.ClientFor(Tokens.Auditor());
        var status = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/status");
        var history = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history");
        var verify = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history/verify");
        Assert.Multiple(() =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed), Is.EqualTo(31));
            Assert.That((int?)status!["version"], Is.EqualTo(2));
            Assert.That(history!["events"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That((bool?)verify!["valid"], Is.True);
        });
    }

    [Test]
    public async Task Killed_mid_load_the_service_restarts_with_every_acknowledged_write_and_nothing_partial()
    {
        var database = Path.Combine(_folder, "cases.db");
        var acknowledged = new ConcurrentDictionary<string, int>(); // case id -> highest acknowledged version
        using var stop = new CancellationTokenSource();

        await using (var service = await ServiceProcess.StartAsync(_folder, database))
        {
            var pk = service.ClientFor(Tokens.Officer("PK"));
            var gb = service.ClientFor(Tokens.Officer("GB"));
            var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
            {
                var mine = new List<(string Id, int Version)>();
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        if (mine.Count < 3 || w % 2 == 0)
                        {
                            var filed = await pk.PostAsync("/api/v1/cases", Cases.Json(Cases.NewCase()));
                            if (filed.StatusCode != HttpStatusCode.Created) continue;
                            var body = await filed.ReadObjectAsync();
                            var id = (string)body["id"]!;
                            mine.Add((id, 1));
                            acknowledged[id] = 1;
                        }
                        else
                        {
                            var index = mine.Count - 1 - (mine.Count % 3);
                            var (id, version) = mine[index];
                            var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/cases/{id}")
                            {
                                Content = Cases.Json(new JsonObject { ["requestingAuthority"] = $"edit {version}" }, "application/merge-patch+json"),
                            };
                            request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
                            var patched = await gb.SendAsync(request);
                            if (patched.StatusCode != HttpStatusCode.OK) continue;
                            mine[index] = (id, version + 1);
                            acknowledged[id] = version + 1;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        return; // the service is gone
                    }
                }
            })).ToArray();

            // Let load build up, then pull the plug while writes are in flight.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (acknowledged.Count < 30 && DateTime.UtcNow < deadline) await Task.Delay(50);
            await service.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.That(acknowledged, Is.Not.Empty, "the load ran before the kill");

        await using var restarted = await ServiceProcess.StartAsync(_folder, database);
        var auditor = restarted.ClientFor(Tokens.Auditor());
        foreach (var (id, version) in acknowledged)
        {
            var status = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}/status");
            var verify = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}/history/verify");
            Assert.That((int?)status!["version"], Is.GreaterThanOrEqualTo(version), $"acknowledged write to {id} survived");
            Assert.That((bool?)verify!["valid"], Is.True, $"chain of {id}");
        }

        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await connection.OpenAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync(connection, """
                SELECT COUNT(*) FROM Cases c
                WHERE NOT EXISTS (SELECT 1 FROM CaseEvents e WHERE e.CaseId = c.Id AND e.Sequence = 1 AND e.Type = 'CaseFiled')
                   OR c.Version <> (SELECT MAX(Sequence) FROM CaseEvents e WHERE e.CaseId = c.Id)
                   OR c.Version <> (SELECT COUNT(*) FROM CaseEvents e WHERE e.CaseId = c.Id)
                   OR c.HeadHash <> (SELECT Hash FROM CaseEvents e WHERE e.CaseId = c.Id AND e.Sequence = c.Version)
                """), Is.Zero, "no case without its events, no event without its case row");
            Assert.That(await ScalarAsync(connection, "SELECT COUNT(*) FROM CaseEvents e WHERE NOT EXISTS (SELECT 1 FROM Cases c WHERE c.Id = e.CaseId)"), Is.Zero);
            Assert.That(await ScalarAsync(connection, """
                SELECT COUNT(*) FROM (SELECT Audience, COUNT(*) AS n, MIN(Seq) AS lo, MAX(Seq) AS hi FROM ChangeFeed GROUP BY Audience)
                WHERE lo <> 1 OR hi <> n
                """), Is.Zero, "the change feed has no gaps");
            Assert.That(await ScalarAsync(connection, "SELECT COUNT(*) FROM ChangeFeed WHERE Audience = '**'"),
                Is.EqualTo(await ScalarAsync(connection, "SELECT COUNT(*) FROM CaseEvents")), "one feed item per event");
        });
    }

    [Test]
    public async Task Access_log_entries_queued_before_a_clean_shutdown_are_all_stored()
    {
        var database = Path.Combine(_folder, "cases.db");
        const int reads = 200;

        await using (var service = await ServiceProcess.StartAsync(_folder, database))
        {
            var pk = service.ClientFor(Tokens.Officer("PK"));
            var filed = await Cases.FileAsync(pk);
            await Task.WhenAll(Enumerable.Range(0, reads).Select(_ => pk.GetAsync($"/api/v1/cases/{filed["id"]}")));
            Assert.That(await service.StopAsync(), Is.Zero, await service.OutputAsync());
        }

        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await connection.OpenAsync();
        Assert.That(await ScalarAsync(connection, "SELECT COUNT(*) FROM AccessLog WHERE Method = 'GET' AND Endpoint = '/api/v1/cases/{id:guid}'"),
            Is.EqualTo(reads));
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
