namespace ExtraditionCases.Application.Abstractions;

/// <summary>
/// Where webhooks may be sent (SSRF): a destination's host is resolved and every address it resolves
/// to must be allowed. Checked when a subscription is created or changed, and again at each delivery.
/// </summary>
public interface IWebhookDestinations
{
    /// <summary>Null when the URL may receive webhooks; else why not, in words safe to show its owner.</summary>
    Task<string?> RefusalAsync(Uri url, CancellationToken cancellationToken);
}
