using System.Security.Cryptography;
using System.Text;

namespace ExtraditionCases.Infrastructure.Webhooks;

/// <summary>
/// Standard Webhooks signing (standardwebhooks.com): <c>v1,</c> + base64 of HMAC-SHA256, keyed with the
/// base64-decoded secret after its <c>whsec_</c> prefix, over <c>{webhook-id}.{webhook-timestamp}.{body}</c>,
/// the timestamp in whole Unix seconds. Several signatures (a rotation's grace period) are space-delimited.
/// Written here rather than taken from the StandardWebhooks package, which would bring the ASP.NET Core
/// shared framework into this layer for a few lines; the tests check it against that package.
/// </summary>
public static class WebhookSignature
{
    public static string Sign(string secret, string webhookId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(Application.Features.Webhooks.WebhookSecrets.Prefix, StringComparison.Ordinal)
            ? secret[Application.Features.Webhooks.WebhookSecrets.Prefix.Length..]
            : secret);
        var signed = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    public static string Header(IEnumerable<string> secrets, string webhookId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(s => Sign(s, webhookId, timestamp, body)));
}

/// <summary>
/// When to try again after the n-th failed attempt: 10 s doubling to at most 6 h, each with ±20% jitter
/// so that receivers coming back are not hit by every sender at once. With the 3-day failure window this
/// gives about 20 attempts before a subscription is disabled.
/// </summary>
public static class WebhookRetry
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Longest = TimeSpan.FromHours(6);

    /// <param name="failures">Failed attempts so far, at least 1.</param>
    /// <param name="random">A number in [0, 1): 0 gives the earliest, towards 1 the latest retry.</param>
    public static TimeSpan After(int failures, double random)
    {
        var doubling = Math.Min(Math.Max(failures, 1) - 1, 20);
        var delay = Math.Min(First.TotalSeconds * Math.Pow(2, doubling), Longest.TotalSeconds);
        return TimeSpan.FromSeconds(delay * (0.8 + (0.4 * random)));
    }
}
