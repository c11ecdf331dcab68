using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExtraditionCases.Benchmarks.Hosting;
using ExtraditionCases.Benchmarks.Load;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExtraditionCases.Benchmarks.Webhooks;

/// <summary>
/// Issue 16's benchmark: the real service as a child process (fresh SQLite file, its own dispatcher, default
/// settings but <c>Webhooks:AllowInsecureLoopback</c>), three subscriptions of three callers (PK partner, PK
/// officer, GB officer), each to its own receiver on 127.0.0.1 inside this program, then N transitions
/// (Submit / ReturnForCorrection on PK-to-GB cases filed before the subscriptions, so every delivery is a
/// transition). Delivery lag is the receiver's acknowledgment (its handler done, the 204 about to go) minus
/// the event's <c>recordedAt</c> (stamped inside the writing transaction, at most that transaction's length
/// before its commit; same machine, same clock). Checks every delivery: signature (Standard Webhooks,
/// written here from the spec), nothing missing, duplicates counted, each case's versions in order.
/// </summary>
internal static class WebhookDelivery
{
    private sealed record Received(int Receiver, string Id, string Timestamp, string Signature, string Body, DateTimeOffset AckAt);

    private sealed record Sent(Guid CaseId, int Version, DateTimeOffset RespondedAt);

    public static async Task<int> RunAsync(
        int transitions, int cases, double rate, int concurrency, BenchTokens tokens, string folder, string serviceDll, string? output)
    {
        const int subscribers = 3;
        var received = new ConcurrentQueue<Received>();
        var receivers = new List<WebApplication>();
        var urls = new List<string>();
        for (var i = 0; i < subscribers; i++)
        {
            var (app, url) = await StartReceiverAsync(i, received);
            receivers.Add(app);
            urls.Add(url);
        }

        var database = Path.Combine(folder, "webhooks.db");
        var service = await ChildProcess.StartAsync("service", serviceDll, [], new Dictionary<string, string>(tokens.Environment(), StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Cases"] = $"Data Source={database}",
            ["Database__Provider"] = "Sqlite",
            ["Database__MigrateOnStartup"] = "true",
            ["RateLimiting__Enabled"] = "false",
            // The receivers are on loopback over plain HTTP: the development setting, nothing else changed.
            ["Webhooks__AllowInsecureLoopback"] = "true",
        }, "/health/ready");
        using var client = Requests.Client(service.BaseAddress);
        try
        {
            Console.WriteLine($"Service pid {service.Pid} at {service.BaseAddress}; receivers {string.Join(", ", urls)}");
            var versions = new ConcurrentDictionary<Guid, int>();
            for (var i = 0; i < cases; i++)
            {
                using var file = Requests.Post("/api/v1/cases", tokens.OfficerPk, Encoding.UTF8.GetBytes(Requests.NewCase(i).ToJsonString()));
                using var filed = await client.SendAsync(file);
                var body = JsonNode.Parse(await filed.Content.ReadAsStringAsync())!;
                if (filed.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"Filing failed: {(int)filed.StatusCode} {body}");
                versions[(Guid)body["id"]!] = (int)body["version"]!;
            }

            var secrets = new List<string>();
            foreach (var (token, url) in new[] { tokens.PartnerPk, tokens.OfficerPk, tokens.OfficerGb }.Zip(urls))
            {
                using var subscribe = Requests.Post("/api/v1/webhooks/subscriptions", token, Encoding.UTF8.GetBytes(new JsonObject { ["url"] = url }.ToJsonString()));
                using var created = await client.SendAsync(subscribe);
                var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
                if (created.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"Subscribing failed: {(int)created.StatusCode} {body}");
                secrets.Add((string)body["secret"]!);
            }

            // Workers own disjoint cases (case i to worker i % concurrency), so no two writes race on one case.
            var ids = versions.Keys.ToList();
            var sent = new ConcurrentQueue<Sent>();
            var next = 0;
            var errors = 0;
            var clock = Stopwatch.StartNew();
            var started = DateTimeOffset.UtcNow;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
            {
                var own = ids.Where((_, i) => i % concurrency == worker).ToList();
                var turn = 0;
                int k;
                while ((k = Interlocked.Increment(ref next)) <= transitions)
                {
                    if (rate > 0)
                    {
                        var due = TimeSpan.FromSeconds((k - 1) / rate);
                        if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                    }

                    var id = own[turn++ % own.Count];
                    var version = versions[id];
                    var submit = version % 2 == 1; // Draft at odd versions: filed at 1, back to Draft at every return.
                    using var request = Requests.Post($"/api/v1/cases/{id}/transitions", submit ? tokens.OfficerPk : tokens.OfficerGb,
                        submit ? Requests.SubmitBody : Requests.ReturnBody, $"\"{version}\"");
                    using var response = await client.SendAsync(request);
                    await response.Content.CopyToAsync(Stream.Null);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                        Console.WriteLine($"  transition {k}: {(int)response.StatusCode}");
                        continue;
                    }

                    versions[id] = version + 1;
                    sent.Enqueue(new Sent(id, version + 1, DateTimeOffset.UtcNow));
                }
            })));
            var sendSeconds = clock.Elapsed.TotalSeconds;
            var expected = sent.Count * subscribers;
            var waitUntil = DateTime.UtcNow.AddSeconds(180);
            while (received.Count < expected && DateTime.UtcNow < waitUntil) await Task.Delay(20);
            await Task.Delay(1000); // anything sent twice has a moment to show
            var allSeconds = (received.Max(r => r.AckAt) - started).TotalSeconds;

            var summary = Summarise(received.ToList(), sent.ToList(), secrets, subscribers, transitions, errors, rate, concurrency, cases, sendSeconds, allSeconds);
            Console.WriteLine(summary.Markdown);
            if (output is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
                await File.WriteAllTextAsync(output, summary.Markdown);
                Console.WriteLine($"Written to {output}");
            }

            return summary.Passed ? 0 : 1;
        }
        finally
        {
            await service.DisposeAsync();
            foreach (var app in receivers) await app.DisposeAsync();
        }
    }

    private sealed record Summary(string Markdown, bool Passed);

    private static Summary Summarise(
        List<Received> received, List<Sent> sent, List<string> secrets, int subscribers, int transitions, int errors, double rate, int concurrency,
        int cases, double sendSeconds, double allSeconds)
    {
        var responded = sent.ToDictionary(s => (s.CaseId, s.Version), s => s.RespondedAt);
        var lags = new List<double>();
        var afterResponse = new List<double>();
        var rows = new List<string>();
        var passed = errors == 0;
        for (var r = 0; r < subscribers; r++)
        {
            var mine = received.Where(x => x.Receiver == r).ToList();
            var unsigned = mine.Count(x => !Verifies(secrets[r], x));
            var firstTries = mine.GroupBy(x => x.Id).Select(g => g.First()).ToList();
            var duplicates = mine.Count - firstTries.Count;
            var items = firstTries.Select(x => (x, Data: JsonNode.Parse(x.Body)!["data"]!)).ToList();
            var keys = items.Select(i => ((Guid)i.Data["caseId"]!, (int)i.Data["version"]!)).ToHashSet();
            var missing = responded.Keys.Count(k => !keys.Contains(k));
            // Per case, versions arrive in increasing order (the subscription's order is the feed's).
            var outOfOrder = items.GroupBy(i => (Guid)i.Data["caseId"]!)
                .Count(g => !g.Select(i => (int)i.Data["version"]!).SequenceEqual(g.Select(i => (int)i.Data["version"]!).Order()));
            var subscriberLags = new List<double>();
            foreach (var (x, data) in items)
            {
                var recordedAt = DateTimeOffset.Parse((string)data["recordedAt"]!, CultureInfo.InvariantCulture);
                subscriberLags.Add((x.AckAt - recordedAt).TotalMilliseconds);
                if (responded.TryGetValue(((Guid)data["caseId"]!, (int)data["version"]!), out var at)) afterResponse.Add((x.AckAt - at).TotalMilliseconds);
            }

            lags.AddRange(subscriberLags);
            subscriberLags.Sort();
            passed &= unsigned == 0 && missing == 0 && outOfOrder == 0 && items.Count == sent.Count;
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {Names[r]} | {items.Count:N0} | {missing} | {duplicates} | {unsigned} | {outOfOrder} | {At(subscriberLags, 0.5):0.0} | {At(subscriberLags, 0.99):0.0} | {subscriberLags[^1]:0.0} |"));
        }

        lags.Sort();
        afterResponse.Sort();
        var delivered = received.Select(x => x.Id).Distinct().Count();
        var pace = rate > 0 ? string.Create(CultureInfo.InvariantCulture, $"paced at {rate:0} transitions/s") : "as fast as the service answers";
        var markdown = string.Create(CultureInfo.InvariantCulture, $"""
            ## Webhook delivery (issue 16)

            {sent.Count:N0} of {transitions:N0} transitions ({errors} refused) on {cases} PK-to-GB cases, {concurrency} concurrent writers, {pace};
            {subscribers} subscriptions (PK partner, PK officer, GB officer), each to its own receiver on 127.0.0.1 in the benchmark process.
            Lag: receiver's acknowledgment minus the event's recordedAt, ms.

            | Subscriber | Delivered | Missing | Duplicates | Bad signature | Cases out of order | Lag p50 | Lag p99 | Lag max |
            |---|--:|--:|--:|--:|--:|--:|--:|--:|
            {string.Join("\n", rows)}
            | **All** | {delivered:N0} | | | | | **{At(lags, 0.5):0.0}** | **{At(lags, 0.99):0.0}** | {lags[^1]:0.0} |

            - Transitions: {sent.Count / sendSeconds:0} per second ({sendSeconds:0.00} s to send them all).
            - Deliveries: {delivered:N0} acknowledged in {allSeconds:0.00} s from the first transition sent: **{delivered / allSeconds:0} per second** ({delivered / allSeconds / subscribers:0} per subscription).
            - Lag from the writer's 200 instead (an upper bound on the commit): p50 {At(afterResponse, 0.5):0.0} ms, p99 {At(afterResponse, 0.99):0.0} ms.
            - Every event delivered to every subscriber, signatures valid, no case out of order: **{(passed ? "yes" : "NO")}**.
            """);
        return new Summary(markdown, passed);
    }

    private static readonly string[] Names = ["PK partner", "PK officer", "GB officer"];

    private static double At(List<double> sorted, double quantile) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(sorted.Count * quantile) - 1)];

    /// <summary>Standard Webhooks, from the specification: HMAC-SHA256 keyed with the base64 after whsec_ over id.timestamp.body.</summary>
    private static bool Verifies(string secret, Received x)
    {
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{x.Id}.{x.Timestamp}.{x.Body}")));
        return x.Signature.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }

    private static async Task<(WebApplication App, string Url)> StartReceiverAsync(int index, ConcurrentQueue<Received> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/hook", async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            received.Enqueue(new Received(index, context.Request.Headers["webhook-id"].ToString(), context.Request.Headers["webhook-timestamp"].ToString(),
                context.Request.Headers["webhook-signature"].ToString(), body, DateTimeOffset.UtcNow));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, $"{address}/hook");
    }
}
