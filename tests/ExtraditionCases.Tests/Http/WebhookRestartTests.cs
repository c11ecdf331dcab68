using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// The real service as a child process, killed with SIGKILL while a delivery is in flight, then started
/// again on the same database: the delivery it never settled is sent again once its lease has run out
/// (at-least-once, with the same webhook-id), and the ones after it follow in order.
/// </summary>
public sealed class WebhookRestartTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "extradition-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    [Test]
    public async Task A_service_killed_mid_dispatch_sends_the_unsettled_delivery_again_after_restart_and_keeps_the_order()
    {
        var database = Path.Combine(_folder, "cases.db");
        var settings = new Dictionary<string, string>
        {
            ["Webhooks__AllowInsecureLoopback"] = "true",
            ["Webhooks__TimeoutSeconds"] = "4",
            ["Webhooks__LeaseSeconds"] = "5",
            ["Webhooks__PollIntervalMilliseconds"] = "100",
        };
        await using var receiver = await WebhookReceiver.StartAsync();
        var hang = new TaskCompletionSource();
        var acknowledged = new ConcurrentQueue<(int Version, string Id)>();
        receiver.Respond = async (received, context) =>
        {
            var version = (int)received.Json["data"]!["version"]!;
            if (version == 2 && received.Number == 2)
            {
                // Holds the request until the test has killed the sender.
                await hang.Task.WaitAsync(TimeSpan.FromSeconds(60));
                return;
            }

            acknowledged.Enqueue((version, received.Id));
            context.Response.StatusCode = 204;
        };

        string caseId;
        await using (var service = await ServiceProcess.StartAsync(_folder, database, settings))
        {
            var partner = service.ClientFor(Tokens.Partner("PK"));
            var subscribed = await partner.PostAsync("/api/v1/webhooks/subscriptions", Cases.Json(new JsonObject { ["url"] = receiver.Url.ToString() }));
            Assert.That((int)subscribed.StatusCode, Is.EqualTo(201), await subscribed.Content.ReadAsStringAsync());
            var pk = service.ClientFor(Tokens.Officer("PK"));
            caseId = (string)(await Cases.FileAsync(pk))["id"]!;
            for (var version = 1; version <= 2; version++)
            {
                var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/cases/{caseId}")
                {
                    Content = Cases.Json(new JsonObject { ["requestingAuthority"] = $"Ministry of Interior, desk {version}" }, "application/merge-patch+json"),
                };
                patch.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
                Assert.That((int)(await pk.SendAsync(patch)).StatusCode, Is.EqualTo(200));
            }

            await receiver.WaitForAsync(2);
            await service.KillAsync();
        }

        hang.SetResult();
        await using (var restarted = await ServiceProcess.StartAsync(_folder, database, settings))
        {
            var until = DateTime.UtcNow.AddSeconds(60);
            while (acknowledged.Count < 3 && DateTime.UtcNow < until) await Task.Delay(50);
        }

        var received = receiver.Received;
        var secondTries = received.Where(r => (int)r.Json["data"]!["version"]! == 2).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(acknowledged.Select(a => a.Version), Is.EqualTo(new[] { 1, 2, 3 }), "every event, in order, after the restart");
            Assert.That(secondTries, Has.Count.EqualTo(2), "the delivery cut off by the kill is sent again");
            Assert.That(secondTries.Select(r => r.Id).Distinct().Count(), Is.EqualTo(1), "with the same webhook-id");
            Assert.That(received.Select(r => (int)r.Json["data"]!["version"]!), Is.EqualTo(new[] { 1, 2, 2, 3 }), "version 3 waited for version 2");
            Assert.That(received.Select(r => (string?)r.Json["data"]!["caseId"]), Has.All.EqualTo(caseId));
        });
    }
}
