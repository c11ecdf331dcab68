using System.Diagnostics.Metrics;
using ExtraditionCases.Application.Telemetry;

namespace ExtraditionCases.Infrastructure.Webhooks;

/// <summary>
/// Webhook delivery metrics on the service's business meter: deliveries made, attempts failed,
/// subscriptions disabled, and the backlog (pending deliveries of enabled subscriptions, and the age of
/// the oldest), which the dispatcher refreshes as it runs rather than a gauge querying on every scrape.
/// </summary>
public sealed class WebhookMetrics
{
    public const string Delivered = "extradition.webhooks.delivered";
    public const string Failed = "extradition.webhooks.failed";
    public const string Disabled = "extradition.webhooks.subscriptions.disabled";
    public const string Pending = "extradition.webhooks.pending";
    public const string OldestPendingAge = "extradition.webhooks.oldest_pending.age";

    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _disabled;
    private readonly Histogram<double> _lag;
    private long _pending;
    private double _oldestAge;

    public WebhookMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(CaseMetrics.MeterName) ?? new Meter(CaseMetrics.MeterName);
        _delivered = meter.CreateCounter<long>(Delivered, "{delivery}", "Webhook deliveries a receiver acknowledged with 2xx.");
        _failed = meter.CreateCounter<long>(Failed, "{attempt}", "Webhook delivery attempts that failed (non-2xx, timeout, refused or unreachable).");
        _disabled = meter.CreateCounter<long>(Disabled, "{subscription}", "Subscriptions disabled after failing for the whole failure window.");
        _lag = meter.CreateHistogram<double>("extradition.webhooks.delivery.lag", "s", "From the event's commit to the receiver's 2xx.");
        meter.CreateObservableGauge(Pending, () => Interlocked.Read(ref _pending), "{delivery}", "Deliveries waiting, of enabled subscriptions.");
        meter.CreateObservableGauge(OldestPendingAge, () => Volatile.Read(ref _oldestAge), "s", "Age of the oldest waiting delivery of an enabled subscription.");
    }

    public void DeliveryMade(TimeSpan lag)
    {
        _delivered.Add(1);
        _lag.Record(Math.Max(lag.TotalSeconds, 0));
    }

    public void AttemptFailed() => _failed.Add(1);

    public void SubscriptionDisabled() => _disabled.Add(1);

    public void Backlog(long pending, TimeSpan oldestAge)
    {
        Interlocked.Exchange(ref _pending, pending);
        Volatile.Write(ref _oldestAge, Math.Max(oldestAge.TotalSeconds, 0));
    }
}
