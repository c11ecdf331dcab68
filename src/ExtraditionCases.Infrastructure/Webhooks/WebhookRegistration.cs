using System.Net;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;

namespace ExtraditionCases.Infrastructure.Webhooks;

public static class WebhookRegistration
{
    /// <summary>What every write needs: the outbox the case store writes into, and the SSRF rule the subscriptions check.</summary>
    public static IServiceCollection AddWebhookOutbox(this IServiceCollection services)
    {
        services.TryAddSingleton(new WebhookOptions());
        services.TryAddSingleton<WebhookSignal>();
        services.TryAddSingleton<WebhookDestinations>();
        services.TryAddSingleton<IWebhookDestinations>(sp => sp.GetRequiredService<WebhookDestinations>());
        services.TryAddScoped<WebhookOutbox>();
        return services;
    }

    /// <summary>
    /// The dispatcher and its named client: a 10 s timeout from Microsoft.Extensions.Http.Resilience (the
    /// outbox does the retrying, over days, so the pipeline has no retry of its own), no redirects, no
    /// cookies or proxy, the SSRF rule applied to the addresses each connection dials.
    /// </summary>
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services, WebhookOptions options)
    {
        options.Validate();
        services.RemoveAll<WebhookOptions>();
        services.AddSingleton(options);
        services.AddWebhookOutbox();
        services.TryAddSingleton(sp => new WebhookMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddHttpClient(WebhookDispatcher.ClientName, client =>
            {
                // The resilience timeout governs; this only backs it up.
                client.Timeout = options.Timeout + TimeSpan.FromSeconds(5);
                client.MaxResponseContentBufferSize = WebhookDispatcher.MaxResponseBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.None,
                MaxResponseHeadersLength = 64,
                ConnectTimeout = options.Timeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = sp.GetRequiredService<WebhookDestinations>().ConnectAsync,
            })
            .AddResilienceHandler("webhook-delivery", pipeline => pipeline.AddTimeout(options.Timeout));
        services.TryAddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
