using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Features.Webhooks;
using ExtraditionCases.Infrastructure.Webhooks;
using ExtraditionCases.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// Webhooks through the real host: subscriptions over HTTP, events recorded over HTTP, the dispatcher
/// driven pass by pass on the fake clock, and real receivers on 127.0.0.1 that check every signature with
/// the specification's algorithm. No test sends anything to an address other than 127.0.0.1: the SSRF
/// refusals are decided from the address alone.
/// </summary>
public sealed class WebhookTests
{
    private ApiFactory _api = null!;
    private WebhookReceiver _receiver = null!;

    [SetUp]
    public async Task Start()
    {
        _api = new ApiFactory(new() { ["Webhooks:AllowInsecureLoopback"] = "true", ["Webhooks:DispatcherEnabled"] = "false" });
        _receiver = await WebhookReceiver.StartAsync();
    }

    [TearDown]
    public async Task Stop()
    {
        await _receiver.DisposeAsync();
        _api.Dispose();
    }

    private WebhookDispatcher Dispatcher => _api.Services.GetRequiredService<WebhookDispatcher>();

    [TestCase("https://10.0.0.7/hook", "private")]
    [TestCase("https://172.20.1.1/hook", "private")]
    [TestCase("https://192.168.1.10:8443/hook", "private")]
    [TestCase("https://100.64.0.1/hook", "private")]
    [TestCase("https://[fd00::1]/hook", "private")]
    [TestCase("https://169.254.169.254/latest/meta-data", "link-local")]
    [TestCase("https://[fe80::1]/hook", "link-local")]
    [TestCase("https://[::ffff:10.1.2.3]/hook", "private")]
    [TestCase("https://0.0.0.0/hook", "cannot receive")]
    [TestCase("https://224.0.0.1/hook", "cannot receive")]
    public async Task A_destination_inside_the_network_is_refused_with_422_without_connecting(string url, string reason)
    {
        var response = await Partner("PK").PostAsync("/api/v1/webhooks/subscriptions", Cases.Json(new JsonObject { ["url"] = url }));
        var problem = await response.ReadObjectAsync();

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(422));
            Assert.That((string?)problem["errors"]!["url"]![0], Does.Contain(reason));
        });
    }

    [Test]
    public async Task Loopback_and_plain_http_are_refused_unless_configured_for_development()
    {
        using var strict = new ApiFactory(new() { ["Webhooks:DispatcherEnabled"] = "false" });
        var partner = strict.ClientFor(Tokens.Partner("PK"));
        var loopback = await partner.PostAsync("/api/v1/webhooks/subscriptions", Cases.Json(new JsonObject { ["url"] = "https://127.0.0.1:9/hook" }));
        var localhost = await partner.PostAsync("/api/v1/webhooks/subscriptions", Cases.Json(new JsonObject { ["url"] = "https://localhost:9/hook" }));
        var ipv6 = await partner.PostAsync("/api/v1/webhooks/subscriptions", Cases.Json(new JsonObject { ["url"] = "https://[::1]:9/hook" }));
        var http = await partner.PostAsync("/api/v1/webhooks/subscriptions", Cases.Json(new JsonObject { ["url"] = _receiver.Url.ToString() }));
        var credentials = await Partner("PK").PostAsync("/api/v1/webhooks/subscriptions", Cases.Json(new JsonObject { ["url"] = "https://user:pw@example.test/" }));
        var unknownType = await Partner("PK").PostAsync("/api/v1/webhooks/subscriptions",
            Cases.Json(new JsonObject { ["url"] = _receiver.Url.ToString(), ["eventTypes"] = new JsonArray("Transitoned") }));

        Assert.Multiple(() =>
        {
            Assert.That((int)loopback.StatusCode, Is.EqualTo(422));
            Assert.That((int)localhost.StatusCode, Is.EqualTo(422), "a name is resolved: localhost is loopback");
            Assert.That((int)ipv6.StatusCode, Is.EqualTo(422));
            Assert.That((int)http.StatusCode, Is.EqualTo(400), "https only");
            Assert.That((int)credentials.StatusCode, Is.EqualTo(400));
            Assert.That((int)unknownType.StatusCode, Is.EqualTo(400));
        });
    }

    [Test]
    public async Task Subscriptions_belong_to_a_country_their_secret_is_shown_once_and_auditors_have_none()
    {
        var (id, secret) = await SubscribeAsync(Partner("PK"));
        var read = await Officer("PK").GetAsync($"/api/v1/webhooks/subscriptions/{id}");
        var readBody = await read.Content.ReadAsStringAsync();
        var otherCountry = await Partner("GB").GetAsync($"/api/v1/webhooks/subscriptions/{id}");
        var otherList = await (await Partner("GB").GetAsync("/api/v1/webhooks/subscriptions")).ReadObjectAsync();
        var auditor = await _api.ClientFor(Tokens.Auditor()).GetAsync("/api/v1/webhooks/subscriptions");
        var otherCase = await Partner("US").PostAsync("/api/v1/webhooks/subscriptions",
            Cases.Json(new JsonObject { ["url"] = _receiver.Url.ToString(), ["caseId"] = (await CaseDriver.FileAsync(_api)).Id }));

        Assert.Multiple(() =>
        {
            Assert.That((int)read.StatusCode, Is.EqualTo(200));
            Assert.That(readBody, Does.Not.Contain(secret).And.Not.Contain("whsec_"));
            Assert.That((int)otherCountry.StatusCode, Is.EqualTo(404));
            Assert.That(otherList["items"]!.AsArray(), Is.Empty);
            Assert.That((int)auditor.StatusCode, Is.EqualTo(403));
            Assert.That((int)otherCase.StatusCode, Is.EqualTo(422), "a case filter names a case of the caller's country");
        });
    }

    [Test]
    public async Task A_receiver_that_fails_and_recovers_gets_every_event_once_acknowledged_in_order_with_retries_of_one_id()
    {
        var (id, secret) = await SubscribeAsync(Partner("PK"));
        _receiver.Respond = async (received, context) =>
        {
            switch (received.Number)
            {
                case 1:
                    context.Response.StatusCode = 500;
                    break;
                case 2:
                    // Killed mid-delivery: the connection drops before any answer.
                    context.Abort();
                    break;
                case 3:
                    context.Response.StatusCode = 503;
                    await context.Response.WriteAsync(new string('x', 200_000));
                    break;
                default:
                    context.Response.StatusCode = 200;
                    break;
            }
        };
        var c = await CaseDriver.FileAsync(_api);
        Assert.That((int)(await c.PatchAsync("PK", new JsonObject { ["requestingAuthority"] = "Ministry of Interior, Islamabad" })).StatusCode, Is.EqualTo(200));
        await c.FireAsync("GB", "ProvisionalArrest");

        for (var round = 0; round < 10 && _receiver.Received.Count(r => r.Number >= 4) < 3; round++)
        {
            await Dispatcher.DispatchDueAsync(CancellationToken.None);
            _api.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        var received = _receiver.Received;
        var acknowledged = received.Where(r => r.Number >= 4).ToList();
        var deliveries = await (await Partner("PK").GetAsync($"/api/v1/webhooks/subscriptions/{id}/deliveries")).ReadObjectAsync();
        var first = deliveries["items"]!.AsArray()[^1]!;
        Assert.Multiple(() =>
        {
            Assert.That(received.Take(4).Select(r => r.Id).Distinct().Count(), Is.EqualTo(1), "the first event is retried with one id until it succeeds");
            Assert.That(acknowledged.Select(r => (int)r.Json["data"]!["version"]!), Is.EqualTo(new[] { 1, 2, 3 }), "in order, nothing lost");
            Assert.That(acknowledged.Select(r => r.Id).Distinct().Count(), Is.EqualTo(3), "nothing acknowledged twice");
            Assert.That(received, Has.All.Matches<ReceivedWebhook>(r => StandardWebhooksSpec.Verifies(secret, r)));
            Assert.That(acknowledged.Select(r => (string?)r.Json["type"]), Is.EqualTo(new[] { "CaseFiled", "CaseUpdated", "Transitioned" }));
            Assert.That(acknowledged[2].Json["data"]!.AsObject().Select(p => p.Key),
                Is.EquivalentTo(new[] { "caseId", "reference", "version", "state", "type", "occurredAt", "recordedAt", "status" }), "a feed item plus the status");
            Assert.That(acknowledged[2].Json["data"]!["status"]!.AsObject().Select(p => p.Key),
                Is.EquivalentTo(new[] { "id", "reference", "state", "stateSince", "version", "updatedAt", "nextDeadline" }));
            Assert.That(first["attempts"]!.AsArray().Select(a => (int?)a!["statusCode"]), Is.EqualTo(new int?[] { 500, null, 503, 200 }));
            Assert.That(first["attempts"]!.AsArray().Select(a => (string?)a!["outcome"]), Is.EqualTo(new[] { "Failed", "Failed", "Failed", "Delivered" }));
            Assert.That((string?)first["attempts"]![1]!["error"], Does.StartWith("Connection failed"));
            Assert.That(first["attempts"]!.AsArray().Select(a => (int)a!["latencyMs"]!), Has.All.GreaterThanOrEqualTo(0));
            Assert.That((string?)first["webhookId"], Is.EqualTo(received[0].Id));
        });
    }

    [Test]
    public async Task A_slow_receiver_times_out_after_10_seconds_without_holding_up_another_subscription()
    {
        await using var fast = await WebhookReceiver.StartAsync();
        var release = new TaskCompletionSource();
        _receiver.Respond = async (_, context) =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            context.Response.StatusCode = 204;
        };
        var (slowId, _) = await SubscribeAsync(Partner("PK"));
        var (fastId, _) = await SubscribeAsync(Officer("PK"), fast.Url);
        await CaseDriver.FileAsync(_api);

        var dispatch = Dispatcher.DispatchDueAsync(CancellationToken.None);
        await _receiver.WaitForAsync(1);
        await fast.WaitForAsync(1);
        var fastDelivered = await WaitForStatusAsync(fastId, "Delivered");
        _api.Clock.Advance(TimeSpan.FromSeconds(10));
        await dispatch.WaitAsync(TimeSpan.FromSeconds(30));
        release.SetResult();
        var slow = (await (await Partner("PK").GetAsync($"/api/v1/webhooks/subscriptions/{slowId}/deliveries")).ReadObjectAsync())["items"]![0]!;

        Assert.Multiple(() =>
        {
            Assert.That(fastDelivered, Is.True, "delivered while the slow receiver still held its request");
            Assert.That((string?)slow["status"], Is.EqualTo("Pending"));
            Assert.That((string?)slow["attempts"]![0]!["error"], Is.EqualTo("Timed out after 10 s."));
        });
    }

    [Test]
    public async Task Redirects_are_not_followed_and_a_name_that_turns_inside_at_delivery_is_refused_there()
    {
        await using var target = await WebhookReceiver.StartAsync();
        _receiver.Respond = (_, context) =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = target.Url.ToString();
            return Task.CompletedTask;
        };
        var (redirected, _) = await SubscribeAsync(Partner("PK"));
        await CaseDriver.FileAsync(_api);
        await Dispatcher.DispatchDueAsync(CancellationToken.None);
        var redirectAttempt = await LastAttemptAsync(redirected);

        // The rule at delivery time is the rule then: loopback no longer allowed (as if the name now resolved inside).
        await using var rebound = await WebhookReceiver.StartAsync();
        var (reboundId, _) = await SubscribeAsync(Officer("GB"), rebound.Url);
        _api.Services.GetRequiredService<WebhookOptions>().AllowInsecureLoopback = false;
        await CaseDriver.FileAsync(_api, Cases.NewCase("PK", "GB"));
        await Dispatcher.DispatchDueAsync(CancellationToken.None);
        var reboundAttempt = await LastAttemptAsync(reboundId);

        Assert.Multiple(() =>
        {
            Assert.That((int?)redirectAttempt["statusCode"], Is.EqualTo(307));
            Assert.That((string?)redirectAttempt["error"], Does.Contain("redirects are not followed"));
            Assert.That(target.Received, Is.Empty);
            Assert.That((string?)reboundAttempt["error"], Is.EqualTo("Refused: The URL resolves to a loopback address."));
            Assert.That(rebound.Received, Is.Empty, "refused before connecting");
        });
    }

    [Test]
    public async Task After_a_rotation_both_secrets_sign_until_the_grace_period_ends()
    {
        var partner = Partner("PK");
        var (id, oldSecret) = await SubscribeAsync(partner);
        var rotated = await (await partner.PostAsync($"/api/v1/webhooks/subscriptions/{id}/rotate-secret", null)).ReadObjectAsync();
        var newSecret = (string)rotated["secret"]!;
        await CaseDriver.FileAsync(_api);
        await Dispatcher.DispatchDueAsync(CancellationToken.None);
        _api.Clock.Advance(TimeSpan.FromHours(24));
        await CaseDriver.FileAsync(_api);
        await Dispatcher.DispatchDueAsync(CancellationToken.None);

        var (during, after) = (_receiver.Received[0], _receiver.Received[1]);
        Assert.Multiple(() =>
        {
            Assert.That(during.Signature.Split(' '), Has.Length.EqualTo(2));
            Assert.That(StandardWebhooksSpec.Verifies(oldSecret, during) && StandardWebhooksSpec.Verifies(newSecret, during), Is.True);
            Assert.That(after.Signature.Split(' '), Has.Length.EqualTo(1));
            Assert.That(StandardWebhooksSpec.Verifies(newSecret, after), Is.True);
            Assert.That(StandardWebhooksSpec.Verifies(oldSecret, after), Is.False);
            Assert.That(long.Parse(during.Timestamp, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(ApiFactory.Start.ToUnixTimeSeconds()));
        });
    }

    [Test]
    public async Task Metrics_count_deliveries_failures_and_the_backlog()
    {
        var meters = _api.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        _ = Dispatcher; // the dispatcher's metrics exist from here on
        using var delivered = new MetricCollector<long>(meters, Application.Telemetry.CaseMetrics.MeterName, WebhookMetrics.Delivered);
        using var failed = new MetricCollector<long>(meters, Application.Telemetry.CaseMetrics.MeterName, WebhookMetrics.Failed);
        using var pending = new MetricCollector<long>(meters, Application.Telemetry.CaseMetrics.MeterName, WebhookMetrics.Pending);
        await using var broken = await WebhookReceiver.StartAsync();
        broken.Respond = (_, context) =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        };
        await SubscribeAsync(Partner("PK"));
        await SubscribeAsync(Partner("GB"), broken.Url);
        await CaseDriver.FileAsync(_api);
        await CaseDriver.FileAsync(_api);
        await Dispatcher.DispatchDueAsync(CancellationToken.None);
        await Dispatcher.RefreshBacklogAsync(CancellationToken.None);
        pending.RecordObservableInstruments();

        Assert.Multiple(() =>
        {
            Assert.That(delivered.GetMeasurementSnapshot().EvaluateAsCounter(), Is.EqualTo(2));
            Assert.That(failed.GetMeasurementSnapshot().EvaluateAsCounter(), Is.EqualTo(1), "the second waits behind the first");
            Assert.That(pending.LastMeasurement?.Value, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_failing_dispatcher_shows_in_health_and_never_stops_the_host()
    {
        using var api = new ApiFactory(new() { ["Webhooks:AllowInsecureLoopback"] = "true" });
        var anonymous = api.CreateClient();
        Assert.That((string?)(await anonymous.GetFromJsonAsync<JsonObject>("/health/ready"))!["status"], Is.EqualTo("Healthy"));
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={api.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var rename = connection.CreateCommand();
            rename.CommandText = "ALTER TABLE WebhookDeliveries RENAME TO WebhookDeliveriesAway";
            await rename.ExecuteNonQueryAsync();
        }

        var dispatcher = api.Services.GetRequiredService<WebhookDispatcher>();
        api.Services.GetRequiredService<WebhookSignal>().Notify();
        var until = DateTime.UtcNow.AddSeconds(10);
        while (dispatcher.Health.ConsecutiveFailures == 0 && DateTime.UtcNow < until) await Task.Delay(20);
        var degraded = await anonymous.GetAsync("/health/ready");
        var stillServing = await api.ClientFor(Tokens.Officer("PK")).PostAsync("/api/v1/cases", Cases.Json(Cases.NewCase()));

        Assert.Multiple(async () =>
        {
            Assert.That(dispatcher.Health.ConsecutiveFailures, Is.GreaterThan(0));
            Assert.That((int)degraded.StatusCode, Is.EqualTo(200));
            var detail = (await degraded.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.That((string?)detail["status"], Is.EqualTo("Degraded"));
            Assert.That((string?)detail["checks"]!["webhooks"]!["status"], Is.EqualTo("Degraded"));
            Assert.That((int)stillServing.StatusCode, Is.EqualTo(201), "writes go on");
        });
    }

    [Test]
    public async Task An_endless_answer_is_read_no_further_than_64_KiB_and_the_delivery_settles()
    {
        var written = 0L;
        _receiver.Respond = async (_, context) =>
        {
            // An answer that never ends: only a sender that stops reading lets this delivery settle.
            context.Response.StatusCode = 200;
            var chunk = new byte[16 * 1024];
            try
            {
                while (!context.RequestAborted.IsCancellationRequested)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                    Interlocked.Add(ref written, chunk.Length);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The sender hung up.
            }
        };
        var (id, _) = await SubscribeAsync(Partner("PK"));
        await CaseDriver.FileAsync(_api);

        // On the fake clock the 10 s budget never runs out: only the 64 KiB cap ends the read. (How much the receiver wrote
        // is no measure of what was read: the client's connection drains and buffers on its own after the response is let go.)
        await Dispatcher.DispatchDueAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        var attempt = await LastAttemptAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That((string?)attempt["outcome"], Is.EqualTo("Delivered"));
            Assert.That((int?)attempt["statusCode"], Is.EqualTo(200));
            Assert.That(Interlocked.Read(ref written), Is.GreaterThan(64L * 1024), "the answer was longer than the cap");
        });
    }

    [Test]
    public async Task Two_dispatchers_on_one_database_send_each_delivery_once_and_in_order()
    {
        await using var second = await WebhookReceiver.StartAsync();
        var (pk, _) = await SubscribeAsync(Partner("PK"));
        await SubscribeAsync(Officer("GB"), second.Url);
        for (var i = 0; i < 6; i++) await CaseDriver.FileAsync(_api);
        // A replica: another dispatcher with the same settings over the same database, claiming through the same leases.
        var replica = ActivatorUtilities.CreateInstance<WebhookDispatcher>(_api.Services);

        var sent = await Task.WhenAll(
            Dispatcher.DispatchDueAsync(CancellationToken.None), replica.DispatchDueAsync(CancellationToken.None),
            Dispatcher.DispatchDueAsync(CancellationToken.None), replica.DispatchDueAsync(CancellationToken.None));
        var pkDeliveries = (await (await Partner("PK").GetAsync($"/api/v1/webhooks/subscriptions/{pk}/deliveries")).ReadObjectAsync())["items"]!.AsArray();

        Assert.Multiple(() =>
        {
            Assert.That(sent.Sum(), Is.EqualTo(12), "each of the 12 deliveries claimed by one dispatcher only");
            Assert.That(_receiver.Received.Select(r => r.Id).Distinct().Count(), Is.EqualTo(6));
            Assert.That(_receiver.Received, Has.Count.EqualTo(6), "nothing sent twice");
            Assert.That(second.Received, Has.Count.EqualTo(6));
            Assert.That(_receiver.Received.Select(r => r.Id), Is.EqualTo(pkDeliveries.Reverse().Select(d => (string?)d!["webhookId"])),
                "in the subscription's order");
            Assert.That(pkDeliveries.Select(d => (string?)d!["status"]), Has.All.EqualTo("Delivered"));
            Assert.That(second.Received.Select(r => r.Id).Distinct().Count(), Is.EqualTo(6));
        });
    }

    [Test]
    public async Task A_subscription_with_a_long_backlog_hands_its_place_to_another_after_50_deliveries()
    {
        using var api = new ApiFactory(new() { ["Webhooks:AllowInsecureLoopback"] = "true", ["Webhooks:DispatcherEnabled"] = "false", ["Webhooks:MaxInFlight"] = "1" });
        await using var shared = await WebhookReceiver.StartAsync();
        var first = await api.ClientFor(Tokens.Partner("PK")).PostAsync("/api/v1/webhooks/subscriptions", Cases.Json(new JsonObject { ["url"] = shared.Url.ToString() }));
        Assert.That((int)first.StatusCode, Is.EqualTo(201));
        for (var i = 0; i < 60; i++) await CaseDriver.FileAsync(api);
        // Made after the first's backlog: its one delivery is due later than all of those.
        var second = await api.ClientFor(Tokens.Officer("GB")).PostAsync("/api/v1/webhooks/subscriptions", Cases.Json(new JsonObject { ["url"] = shared.Url.ToString() }));
        Assert.That((int)second.StatusCode, Is.EqualTo(201));
        await CaseDriver.FileAsync(api);

        var sent = await api.Services.GetRequiredService<WebhookDispatcher>().DispatchDueAsync(CancellationToken.None);
        var caseIds = shared.Received.Select(r => (string)r.Json["data"]!["caseId"]!).ToList();
        var lastCase = caseIds[^1];

        Assert.Multiple(() =>
        {
            Assert.That(sent, Is.EqualTo(62), "61 to the first, 1 to the second");
            Assert.That(caseIds.IndexOf(lastCase), Is.LessThan(60), "the second subscription's delivery went out before the first's backlog was done");
            Assert.That(caseIds.Count(v => v == lastCase), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_backlog_is_sent_in_runs_one_commit_each_and_a_failure_hands_the_rest_of_its_run_back_in_order()
    {
        var (id, _) = await SubscribeAsync(Partner("PK"));
        _receiver.Respond = (received, context) =>
        {
            context.Response.StatusCode = received.Number == 10 ? 500 : 200;
            return Task.CompletedTask;
        };
        for (var i = 0; i < 12; i++) await CaseDriver.FileAsync(_api);
        // Only the dispatcher writes from here: the requests' access entries are stored first.
        await _api.Services.GetRequiredService<ExtraditionCases.Infrastructure.Access.AccessLog>().FlushAsync(CancellationToken.None);
        var gate = _api.Services.GetRequiredService<ExtraditionCases.Infrastructure.Persistence.SqliteWriterGate>();

        var commitsBefore = gate.GroupCommits;
        var firstPass = await Dispatcher.DispatchDueAsync(CancellationToken.None);
        var commits = gate.GroupCommits - commitsBefore;
        // The failed delivery's retry is due 8-12 s later; the run's lease (60 s) is still running then.
        _api.Clock.Advance(TimeSpan.FromSeconds(13));
        var secondPass = await Dispatcher.DispatchDueAsync(CancellationToken.None);

        var deliveries = (await (await Partner("PK").GetAsync($"/api/v1/webhooks/subscriptions/{id}/deliveries")).ReadObjectAsync())["items"]!.AsArray();
        var inOrder = deliveries.Reverse().Select(d => (string?)d!["webhookId"]).ToList();
        var received = _receiver.Received.Select(r => r.Id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(firstPass, Is.EqualTo(10), "the head, then a run that stopped at its failure");
            Assert.That(commits, Is.LessThanOrEqualTo(4), "claim, the head's settlement with the next run's lease, the run's settlement, the last claim");
            Assert.That(secondPass, Is.EqualTo(3), "the failed delivery and the two handed back, as soon as it was due");
            Assert.That(received, Is.EqualTo(inOrder.Take(10).Concat(inOrder.Skip(9))), "in order, the failed one sent again before those after it");
            Assert.That(deliveries.Select(d => (string?)d!["status"]), Has.All.EqualTo("Delivered"));
            Assert.That(deliveries.Select(d => d!["attempts"]!.AsArray().Count), Has.Exactly(1).EqualTo(2).And.Exactly(11).EqualTo(1),
                "each sent delivery's attempt recorded; the two handed back were never attempted before their send");
        });
    }

    [Test]
    public async Task No_delivery_of_a_run_is_sent_once_its_lease_is_too_short_for_the_send_and_its_settlement()
    {
        await SubscribeAsync(Partner("PK"));
        var leaseLeft = new List<TimeSpan>();
        _receiver.Respond = async (received, context) =>
        {
            // What the delivery being received still had of its lease when it was sent (the clock stands still meanwhile).
            await using var connection = await ExtraditionCases.Infrastructure.Persistence.ConnectionFactory.OpenAsync(_api.Database, CancellationToken.None);
            var leaseUntil = await Dapper.SqlMapper.QuerySingleAsync<DateTimeOffset>(connection,
                "SELECT LeaseUntil FROM WebhookDeliveries WHERE Status = 'Pending' AND LeaseToken IS NOT NULL ORDER BY Seq LIMIT 1");
            lock (leaseLeft) leaseLeft.Add(leaseUntil - _api.Clock.GetUtcNow());
            // Each after the first takes 9 s, just inside the 10 s timeout: a run's lease soon runs short.
            if (received.Number >= 2) _api.Clock.Advance(TimeSpan.FromSeconds(9));
            context.Response.StatusCode = 204;
        };
        for (var i = 0; i < 8; i++) await CaseDriver.FileAsync(_api);

        var sent = await Dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(sent, Is.EqualTo(8), "the rest of a run handed back and leased again, in the same pass");
            Assert.That(leaseLeft, Has.Count.EqualTo(8));
            // Lease 60 s, timeout 10 s: a send begins with the timeout and half of the remaining 50 s still ahead of it.
            Assert.That(leaseLeft, Has.All.GreaterThanOrEqualTo(TimeSpan.FromSeconds(35)));
        });
    }

    [Test]
    public async Task The_oldest_waiting_delivery_shows_its_age()
    {
        var meters = _api.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        _ = Dispatcher;
        using var age = new MetricCollector<double>(meters, Application.Telemetry.CaseMetrics.MeterName, WebhookMetrics.OldestPendingAge);
        _receiver.Respond = (_, context) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        await SubscribeAsync(Partner("PK"));
        await Dispatcher.RefreshBacklogAsync(CancellationToken.None);
        age.RecordObservableInstruments();
        var none = age.LastMeasurement?.Value;
        await CaseDriver.FileAsync(_api);
        await Dispatcher.DispatchDueAsync(CancellationToken.None);
        _api.Clock.Advance(TimeSpan.FromMinutes(5));
        await Dispatcher.RefreshBacklogAsync(CancellationToken.None);
        age.RecordObservableInstruments();

        Assert.Multiple(() =>
        {
            Assert.That(none, Is.EqualTo(0));
            Assert.That(age.LastMeasurement?.Value, Is.EqualTo(300).Within(1), "seconds since the waiting delivery was written");
        });
    }

    private HttpClient Partner(string country) => _api.ClientFor(Tokens.Partner(country));

    private HttpClient Officer(string country) => _api.ClientFor(Tokens.Officer(country));

    private async Task<(string Id, string Secret)> SubscribeAsync(HttpClient client, Uri? url = null, params string[] eventTypes)
    {
        var body = new JsonObject { ["url"] = (url ?? _receiver.Url).ToString() };
        if (eventTypes.Length > 0) body["eventTypes"] = new JsonArray([.. eventTypes.Select(t => JsonValue.Create(t))]);
        var response = await client.PostAsync("/api/v1/webhooks/subscriptions", Cases.Json(body));
        var created = await response.ReadObjectAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), created.ToJsonString());
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/webhooks/subscriptions/{created["subscription"]!["id"]}"));
        return ((string)created["subscription"]!["id"]!, (string)created["secret"]!);
    }

    private async Task<JsonNode> LastAttemptAsync(string subscriptionId)
    {
        var deliveries = await (await Partner("PK").GetAsync($"/api/v1/webhooks/subscriptions/{subscriptionId}/deliveries")).ReadObjectAsync();
        if (deliveries["items"] is null) deliveries = await (await Officer("GB").GetAsync($"/api/v1/webhooks/subscriptions/{subscriptionId}/deliveries")).ReadObjectAsync();
        return deliveries["items"]![0]!["attempts"]!.AsArray()[^1]!;
    }

    private async Task<bool> WaitForStatusAsync(string subscriptionId, string status)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until)
        {
            var deliveries = await (await Officer("PK").GetAsync($"/api/v1/webhooks/subscriptions/{subscriptionId}/deliveries")).ReadObjectAsync();
            if ((string?)deliveries["items"]?[0]?["status"] == status) return true;
            await Task.Delay(20);
        }

        return false;
    }
}
