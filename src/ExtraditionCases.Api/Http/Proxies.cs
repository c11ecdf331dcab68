using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ExtraditionCases.Api.Http;

/// <summary>
/// The ingress in front of the service (<c>ForwardedHeaders</c>): the addresses and networks whose
/// <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed. From anyone else they are ignored, so a
/// client cannot choose the address its events, access log entries and anonymous rate limit carry.
/// </summary>
public sealed class ProxySettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Single addresses (<c>10.0.0.5</c>, <c>fd00::5</c>).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>CIDR networks (<c>10.244.0.0/16</c>).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies deep to unwrap X-Forwarded-For: the ingress alone by default.</summary>
    public int ForwardLimit { get; set; } = 1;
}

public static class Proxies
{
    public static IServiceCollection AddKnownProxies(this IServiceCollection services)
    {
        services.AddOptions<ProxySettings>().BindConfiguration(ProxySettings.SectionName)
            .Validate(s => s.KnownProxies.All(p => IPAddress.TryParse(p, out _)),
                $"{ProxySettings.SectionName}:KnownProxies holds an entry that is not an IP address.")
            .Validate(s => s.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)),
                $"{ProxySettings.SectionName}:KnownNetworks holds an entry that is not a CIDR network (10.0.0.0/8).")
            .Validate(s => s.ForwardLimit >= 1, $"{ProxySettings.SectionName}:ForwardLimit must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxySettings>>((options, settings) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = settings.Value.ForwardLimit;
            // The framework trusts the loopback by default; here nothing is trusted unless configured.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds the loopback default and is still consulted
            options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in settings.Value.KnownProxies)
            {
                if (IPAddress.TryParse(proxy, out var address)) options.KnownProxies.Add(address);
            }

            foreach (var network in settings.Value.KnownNetworks)
            {
                if (System.Net.IPNetwork.TryParse(network, out var parsed)) options.KnownIPNetworks.Add(parsed);
            }

            // With both lists empty the middleware would believe every sender: believe none instead.
            if (options.KnownProxies.Count == 0 && options.KnownIPNetworks.Count == 0) options.ForwardedHeaders = ForwardedHeaders.None;
        });
        return services;
    }
}
