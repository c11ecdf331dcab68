using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExtraditionCases.Tests.Support;

/// <summary>One request a receiver got: the three Standard Webhooks headers and the body as sent.</summary>
public sealed record ReceivedWebhook(int Number, string Id, string Timestamp, string Signature, string Body, string? ContentType)
{
    public System.Text.Json.Nodes.JsonObject Json => System.Text.Json.Nodes.JsonNode.Parse(Body)!.AsObject();
}

/// <summary>
/// A real webhook receiver on 127.0.0.1 (Kestrel on a free port). <see cref="Respond"/> decides each
/// answer by the request's number (1, 2, ...): a status code, or a behaviour of its own (hang, abort).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private int _count;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Default: 204 for every request.</summary>
    public Func<ReceivedWebhook, HttpContext, Task> Respond { get; set; } = (_, context) =>
    {
        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    };

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync(string path = "/hook")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost(path, async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var received = new ReceivedWebhook(Interlocked.Increment(ref receiver._count), context.Request.Headers["webhook-id"].ToString(),
                context.Request.Headers["webhook-timestamp"].ToString(), context.Request.Headers["webhook-signature"].ToString(), body,
                context.Request.ContentType);
            receiver._received.Enqueue(received);
            await receiver.Respond(received, context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), path);
        return receiver;
    }

    /// <summary>Until <paramref name="count"/> requests arrived, in real time (a network wait, not a clock).</summary>
    public async Task WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (_received.Count < count)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{_received.Count} of {count} webhooks arrived.");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>
/// The Standard Webhooks verification, written from the specification (standardwebhooks.com), not from
/// the service's code: HMAC-SHA256 keyed with the base64 key after "whsec_", over "{id}.{timestamp}.{body}",
/// compared in constant time with each space-delimited "v1,&lt;base64&gt;" of webhook-signature.
/// </summary>
public static class StandardWebhooksSpec
{
    public static bool Verifies(string secret, ReceivedWebhook webhook) => Verifies(secret, webhook.Id, webhook.Timestamp, webhook.Body, webhook.Signature);

    public static bool Verifies(string secret, string id, string timestamp, string body, string signatureHeader)
    {
        if (!secret.StartsWith("whsec_", StringComparison.Ordinal)) return false;
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"))));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.StartsWith("v1,", StringComparison.Ordinal))
            .Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), expected));
    }

    /// <summary>Standard Webhooks' own C# library (the StandardWebhooks package), as a second verifier; it checks the timestamp against the real clock.</summary>
    public static bool LibraryVerifies(string secret, ReceivedWebhook webhook)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = webhook.Id,
            ["webhook-timestamp"] = webhook.Timestamp,
            ["webhook-signature"] = webhook.Signature,
        };
        try
        {
            new StandardWebhooks.StandardWebhook(secret).Verify(webhook.Body, headers);
            return true;
        }
        catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
        {
            return false;
        }
    }
}
