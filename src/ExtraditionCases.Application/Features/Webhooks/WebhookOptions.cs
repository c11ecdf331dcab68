namespace ExtraditionCases.Application.Features.Webhooks;

/// <summary>The <c>Webhooks</c> configuration section.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Plain http and loopback destinations, for development and tests only.</summary>
    public bool AllowInsecureLoopback { get; set; }

    /// <summary>Private-range destinations (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): for a partner on a private link.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Off: nothing is sent by this instance (deliveries still queue in the outbox).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>A receiver slower than this times out (the attempt fails and is retried later).</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How long a claimed delivery is held by one instance; longer than the timeout, so no other instance sends it meanwhile.</summary>
    public int LeaseSeconds { get; set; } = 60;

    public int PollIntervalMilliseconds { get; set; } = 1000;

    public int SweepIntervalSeconds { get; set; } = 30;

    /// <summary>Deliveries in flight at once on one instance (each to a different subscription).</summary>
    public int MaxInFlight { get; set; } = 16;

    /// <summary>A subscription whose deliveries keep failing this long is disabled.</summary>
    public int FailureWindowHours { get; set; } = 72;

    /// <summary>After a rotation, the previous secret keeps signing this long.</summary>
    public int SecretGraceHours { get; set; } = 24;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    public TimeSpan FailureWindow => TimeSpan.FromHours(FailureWindowHours);

    /// <summary>Refuses settings that would let two instances send the same delivery at once.</summary>
    public void Validate()
    {
        if (TimeoutSeconds < 1) throw new InvalidOperationException("Webhooks:TimeoutSeconds must be at least 1.");
        if (LeaseSeconds <= TimeoutSeconds) throw new InvalidOperationException("Webhooks:LeaseSeconds must be longer than Webhooks:TimeoutSeconds.");
        if (MaxInFlight < 1 || PollIntervalMilliseconds < 10 || SweepIntervalSeconds < 1 || FailureWindowHours < 1 || SecretGraceHours < 0)
            throw new InvalidOperationException("A Webhooks setting is out of range.");
    }
}
