using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features;
using ExtraditionCases.Application.Features.Webhooks;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Infrastructure.Webhooks;
using ExtraditionCases.Tests.Support;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// The outbox, the dispatcher and the subscriptions' statements on every provider at hand, against a real
/// receiver on 127.0.0.1: deliveries are written with their events, sent signed, in order, retried with
/// backoff, and a subscription that fails for the whole window is disabled with its reason. Time is a
/// fake clock started at the real now (so the Standard Webhooks library's timestamp check passes). Each
/// test keeps to countries of its own, since SQL Server tests share one database.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class WebhookContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private FakeTimeProvider _clock = null!;
    private WebhookReceiver _receiver = null!;

    [SetUp]
    public async Task StartTheReceiver() => _receiver = await WebhookReceiver.StartAsync();

    [TearDown]
    public async Task StopTheReceiver() => await _receiver.DisposeAsync();

    protected override void AddServices(IServiceCollection services)
    {
        _clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddWebhookDelivery(new WebhookOptions { AllowInsecureLoopback = true, DispatcherEnabled = false });
    }

    private WebhookDispatcher Dispatcher => Services.GetRequiredService<WebhookDispatcher>();

    [Test]
    public async Task Subscriptions_are_created_listed_replaced_and_rotated_within_their_country()
    {
        var officer = new Caller("officer-wh-1", Caller.Officer, "NZ", "MFAT", "https://idp.test");
        var created = await SendAsync(new CreateSubscription.Command(officer, Input(eventTypes: ["Transitioned"])));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = await SendAsync(new CreateSubscription.Command(officer with { Role = Caller.Partner }, Input()));
        var page = await SendAsync(new ListSubscriptions.Query(officer, 1, null));
        var next = await SendAsync(new ListSubscriptions.Query(officer, 1, ListSubscriptions.Cursor.TryRead(page.NextCursor, out var after) ? after : null));
        var disabled = await SendAsync(new UpdateSubscription.Command(officer, created.Subscription.Id, Input(enabled: false)));
        var enabled = await SendAsync(new UpdateSubscription.Command(officer, created.Subscription.Id, Input(eventTypes: ["CaseFiled", "DeadlineMissed"])));
        var rotated = await SendAsync(new RotateSecret.Command(officer, created.Subscription.Id));
        var read = await SendAsync(new GetSubscription.Query(officer, created.Subscription.Id));

        Assert.Multiple(() =>
        {
            Assert.That(created.Secret, Does.StartWith("whsec_"));
            Assert.That(Convert.FromBase64String(created.Secret["whsec_".Length..]), Has.Length.EqualTo(32));
            Assert.That(created.Subscription.EventTypes, Is.EqualTo(new[] { "Transitioned" }));
            Assert.That(second.Subscription.EventTypes, Is.Null, "every type");
            Assert.That(page.Items.Select(s => s.Id), Is.EqualTo(new[] { created.Subscription.Id }));
            Assert.That(next.Items.Select(s => s.Id), Is.EqualTo(new[] { second.Subscription.Id }));
            Assert.That(next.NextCursor, Is.Null);
            Assert.That(disabled.Enabled, Is.False);
            Assert.That(disabled.DisabledReason, Is.EqualTo("Disabled by its owner."));
            Assert.That(enabled is { Enabled: true, DisabledReason: null }, Is.True);
            Assert.That(enabled.EventTypes, Is.EqualTo(new[] { "CaseFiled", "DeadlineMissed" }));
            Assert.That(rotated.Secret, Is.Not.EqualTo(created.Secret).And.StartWith("whsec_"));
            Assert.That(read.PreviousSecretExpiresAt, Is.EqualTo(rotated.PreviousSecretExpiresAt).And.Not.Null);
        });
        Assert.ThrowsAsync<NotFoundException>(() => SendAsync(new GetSubscription.Query(officer with { Country = "AU" }, created.Subscription.Id)),
            "another country's subscription is not revealed");
    }

    [Test]
    public async Task Each_saved_event_is_delivered_signed_in_order_with_its_attempts_listed_and_redelivered_with_the_same_id()
    {
        var partner = new Caller("partner-wh-2", Caller.Partner, "CA", "RCMP", "https://idp.test");
        var subscription = await SendAsync(new CreateSubscription.Command(partner, Input()));
        var (filed, _) = await FileAsync(CaseFileFor("Jean Tremblay", "CA", "FR"), _clock.GetUtcNow());
        await SaveAsync(filed.Id, c => ProvisionalArrest(c, _clock.GetUtcNow().AddMinutes(-5)), _clock.GetUtcNow());

        var sent = await Dispatcher.DispatchDueAsync(CancellationToken.None);
        var deliveries = await SendAsync(new ListDeliveries.Query(partner, subscription.Subscription.Id, 50, null));
        var requeued = await SendAsync(new Redeliver.Command(partner, subscription.Subscription.Id, deliveries.Items[^1].Id));
        var again = await Dispatcher.DispatchDueAsync(CancellationToken.None);
        await Dispatcher.RefreshBacklogAsync(CancellationToken.None);

        var received = _receiver.Received;
        Assert.Multiple(() =>
        {
            Assert.That(sent, Is.EqualTo(2));
            Assert.That(received.Select(r => (int)r.Json["data"]!["version"]!), Is.EqualTo(new[] { 1, 2, 1 }));
            Assert.That(received.Select(r => (string?)r.Json["type"]), Is.EqualTo(new[] { "CaseFiled", "Transitioned", "CaseFiled" }));
            Assert.That(received, Has.All.Matches<ReceivedWebhook>(r => StandardWebhooksSpec.Verifies(subscription.Secret, r)));
            Assert.That(received, Has.All.Matches<ReceivedWebhook>(r => StandardWebhooksSpec.LibraryVerifies(subscription.Secret, r)));
            Assert.That(received[0].ContentType, Does.StartWith("application/json"));
            Assert.That(received[2].Id, Is.EqualTo(received[0].Id), "a redelivery keeps its webhook-id");
            Assert.That((string?)received[1].Json["data"]!["status"]!["state"], Is.EqualTo("ProvisionalArrest"));
            Assert.That(deliveries.Items.Select(d => d.Status), Is.EqualTo(new[] { "Delivered", "Delivered" }));
            Assert.That(deliveries.Items.Select(d => d.Attempts.Single().StatusCode), Is.EqualTo(new int?[] { 204, 204 }));
            Assert.That(deliveries.Items[0].WebhookId, Is.EqualTo(received[1].Id));
            Assert.That(requeued.Status, Is.EqualTo("Pending"));
            Assert.That(again, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_failing_receiver_is_retried_with_backoff_until_the_window_closes_then_the_subscription_is_disabled_and_resumes_in_order_when_enabled()
    {
        var officer = new Caller("officer-wh-3", Caller.Officer, "JP", "NPA", "https://idp.test");
        var subscription = await SendAsync(new CreateSubscription.Command(officer, Input()));
        var (filed, _) = await FileAsync(CaseFileFor("Sato Hiroshi", "JP", "KR"), _clock.GetUtcNow());
        await SaveAsync(filed.Id, c => ProvisionalArrest(c, _clock.GetUtcNow().AddMinutes(-5)), _clock.GetUtcNow());
        _receiver.Respond = (_, context) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };

        // Each round: send what is due, then move the clock to the retry the dispatcher scheduled.
        var started = _clock.GetUtcNow();
        var gaps = new List<TimeSpan>();
        while (_clock.GetUtcNow() - started < TimeSpan.FromDays(4))
        {
            await Dispatcher.DispatchDueAsync(CancellationToken.None);
            if (!(await SendAsync(new GetSubscription.Query(officer, subscription.Subscription.Id))).Enabled) break;
            var head = (await SendAsync(new ListDeliveries.Query(officer, subscription.Subscription.Id, 50, null))).Items[^1];
            var next = DateTimeOffset.Parse(head.NextAttemptAt!, System.Globalization.CultureInfo.InvariantCulture);
            gaps.Add(next - _clock.GetUtcNow());
            _clock.SetUtcNow(next);
        }

        var disabled = await SendAsync(new GetSubscription.Query(officer, subscription.Subscription.Id));
        var failedAttempts = (await SendAsync(new ListDeliveries.Query(officer, subscription.Subscription.Id, 50, null))).Items[^1].Attempts;
        var disabledAt = _clock.GetUtcNow();
        var whileDisabled = await Dispatcher.DispatchDueAsync(CancellationToken.None);

        _receiver.Respond = (_, context) =>
        {
            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        };
        await SendAsync(new UpdateSubscription.Command(officer, subscription.Subscription.Id, Input()));
        await Dispatcher.DispatchDueAsync(CancellationToken.None);
        var delivered = _receiver.Received.Where(r => r.Number > failedAttempts.Count).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(disabled.Enabled, Is.False);
            Assert.That(disabled.DisabledReason, Does.Contain("every delivery failed since").And.Contain("HTTP 503"));
            Assert.That(disabledAt - started, Is.GreaterThanOrEqualTo(TimeSpan.FromHours(72)).And.LessThan(TimeSpan.FromHours(72) + TimeSpan.FromHours(7.5)));
            Assert.That(failedAttempts, Has.Count.InRange(12, 30), "about 3 days of exponential retries");
            Assert.That(failedAttempts.Select(a => a.StatusCode), Has.All.EqualTo(503));
            Assert.That(_receiver.Received.Take(failedAttempts.Count).Select(r => r.Id).Distinct().Count(), Is.EqualTo(1),
                "only the first event is tried while it fails: the second waits behind it, and every retry has the same id");
            // Backoff: 10 s doubling up to 6 h, each within ±20% jitter (and the milliseconds instants are kept to).
            for (var i = 0; i < gaps.Count; i++)
            {
                var nominal = Math.Min(10 * Math.Pow(2, i), 6 * 3600);
                Assert.That(gaps[i].TotalSeconds, Is.InRange((nominal * 0.8) - 0.002, (nominal * 1.2) + 0.002), $"retry {i + 1}");
            }

            Assert.That(whileDisabled, Is.Zero);
            Assert.That(delivered.Select(r => (int)r.Json["data"]!["version"]!), Is.EqualTo(new[] { 1, 2 }), "nothing lost, in order");
        });
    }

    [Test]
    public async Task A_clock_that_ran_out_is_announced_once_to_subscribers_of_DeadlineMissed_and_windows_are_not()
    {
        var officer = new Caller("officer-wh-4", Caller.Officer, "IE", "GARDA", "https://idp.test");
        var missedOnly = await SendAsync(new CreateSubscription.Command(officer, Input(eventTypes: ["DeadlineMissed"])));
        var now = _clock.GetUtcNow();
        Deadline Clock(int ordinal, DeadlineKind kind, TimeSpan due) => new()
        {
            Ordinal = ordinal, Kind = kind, StartedAt = now.AddDays(-1), DueAt = now + due, Status = DeadlineStatus.Pending,
            Statute = "Extradition Act 2003 s.74", Advisory = false,
        };
        var (filed, _) = await FileAsync(CaseFileFor("Seán Murphy", "IE", "NL"), now,
            [Clock(1, DeadlineKind.FullRequest, TimeSpan.FromHours(1)), Clock(2, DeadlineKind.AppealWindow, TimeSpan.FromHours(1)),
             Clock(3, DeadlineKind.HearingStart, TimeSpan.FromDays(10))]);

        _clock.Advance(TimeSpan.FromHours(2));
        var announced = await Dispatcher.SweepAsync(CancellationToken.None);
        var again = await Dispatcher.SweepAsync(CancellationToken.None);
        await Dispatcher.DispatchDueAsync(CancellationToken.None);

        var notice = _receiver.Received.Single().Json;
        Assert.Multiple(() =>
        {
            Assert.That(announced, Is.GreaterThanOrEqualTo(1));
            Assert.That(again, Is.Zero, "each clock once");
            Assert.That((string?)notice["type"], Is.EqualTo("DeadlineMissed"));
            Assert.That((string?)notice["data"]!["caseId"], Is.EqualTo(filed.Id.ToString()));
            Assert.That((string?)notice["data"]!["deadline"]!["kind"], Is.EqualTo("FullRequest"));
            Assert.That((string?)notice["data"]!["status"]!["nextDeadline"]!["kind"], Is.EqualTo("HearingStart"));
            Assert.That(StandardWebhooksSpec.Verifies(missedOnly.Secret, _receiver.Received.Single()), Is.True);
        });
    }

    [Test]
    public async Task Deliveries_commit_with_their_event_or_not_at_all_one_per_subscriber_that_wants_it()
    {
        var partner = new Caller("partner-wh-5", Caller.Partner, "BR", "PF", "https://idp.test");
        await SendAsync(new CreateSubscription.Command(partner, Input()));
        await SendAsync(new CreateSubscription.Command(partner, Input(eventTypes: ["Transitioned"])));
        var (filed, _) = await FileAsync(CaseFileFor("João Silva", "BR", "AR"), _clock.GetUtcNow());
        const string Count = "SELECT COUNT(*) FROM WebhookDeliveries WHERE CaseId = @CaseId";

        await using (var session = Open())
        {
            await session.Database.BeginAsync(CancellationToken.None);
            var loaded = (await session.Store.FindAsync(filed.Id, CancellationToken.None))!;
            ProvisionalArrest(loaded.Case, _clock.GetUtcNow());
            await session.Store.SaveAsync(loaded.Case, 1, EventsFor(loaded, _clock.GetUtcNow()), CancellationToken.None);
            await session.Database.RollbackAsync(CancellationToken.None);
        }

        var afterRollback = (await QueryAsync<long>(Count, new { CaseId = filed.Id })).Single();
        await SaveAsync(filed.Id, c => ProvisionalArrest(c, _clock.GetUtcNow()), _clock.GetUtcNow());
        var afterCommit = (await QueryAsync<long>(Count, new { CaseId = filed.Id })).Single();

        Assert.Multiple(() =>
        {
            Assert.That(afterRollback, Is.EqualTo(1), "the filing's, for the subscriber of every type; nothing of the rolled-back step");
            Assert.That(afterCommit, Is.EqualTo(3), "the step's, for both subscribers");
        });
    }

    [Test]
    public async Task A_run_that_stops_at_a_failure_hands_its_unsent_deliveries_back_and_they_follow_the_failed_one_in_order()
    {
        var partner = new Caller("partner-wh-6", Caller.Partner, "KE", "DCI", "https://idp.test");
        var subscription = await SendAsync(new CreateSubscription.Command(partner, Input()));
        _receiver.Respond = (received, context) =>
        {
            context.Response.StatusCode = received.Number == 3 ? 500 : 204;
            return Task.CompletedTask;
        };
        foreach (var name in new[] { "Wanjiru Kamau", "Otieno Odhiambo", "Achieng Njeri", "Mwangi Kariuki" })
        {
            await FileAsync(CaseFileFor(name, "KE", "TZ"), _clock.GetUtcNow());
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        // The head, then a run of the three after it, which stops at the second of them.
        var firstPass = await Dispatcher.DispatchDueAsync(CancellationToken.None);
        var leased = await QueryAsync<long>("SELECT COUNT(*) FROM WebhookDeliveries WHERE SubscriptionId = @Id AND LeaseToken IS NOT NULL",
            new { subscription.Subscription.Id });
        _clock.Advance(TimeSpan.FromSeconds(13));
        var secondPass = await Dispatcher.DispatchDueAsync(CancellationToken.None);
        var deliveries = await SendAsync(new ListDeliveries.Query(partner, subscription.Subscription.Id, 50, null));

        var inOrder = deliveries.Items.Reverse().Select(d => d.WebhookId).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(firstPass, Is.EqualTo(3));
            Assert.That(leased.Single(), Is.Zero, "the failed delivery's lease ended with its attempt, the unsent one's was handed back");
            Assert.That(secondPass, Is.EqualTo(2), "the failed one again, then the one handed back, before its lease would have run out");
            Assert.That(_receiver.Received.Select(r => r.Id), Is.EqualTo(new[] { inOrder[0], inOrder[1], inOrder[2], inOrder[2], inOrder[3] }));
            Assert.That(deliveries.Items.Select(d => d.Status), Has.All.EqualTo("Delivered"));
            Assert.That(deliveries.Items.Select(d => d.Attempts.Count), Is.EqualTo(new[] { 1, 2, 1, 1 }));
        });
    }

    private SubscriptionInput Input(IReadOnlyList<string>? eventTypes = null, bool? enabled = null) =>
        new() { Url = _receiver.Url.ToString(), EventTypes = eventTypes, Enabled = enabled };

    private async Task<T> SendAsync<T>(IRequest<T> request)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }
}
