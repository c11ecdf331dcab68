using System.Net;
using System.Net.Sockets;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Webhooks;

namespace ExtraditionCases.Infrastructure.Webhooks;

/// <summary>
/// The SSRF rule. A destination's host is resolved (an IP literal is taken as it is) and every address
/// must be public: loopback only with <c>Webhooks:AllowInsecureLoopback</c>, private ranges only with
/// <c>Webhooks:AllowPrivateNetworks</c>; link-local (cloud metadata lives there), unspecified, multicast,
/// broadcast and reserved addresses never. Subscriptions are checked without connecting; deliveries are
/// checked again inside the connection itself (<see cref="ConnectAsync"/>), on the addresses actually
/// dialled, so a name that re-resolves to an inside address later (DNS rebinding) is refused then.
/// </summary>
public sealed class WebhookDestinations(WebhookOptions options) : IWebhookDestinations
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    public async Task<string?> RefusalAsync(Uri url, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(url.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return "The URL's host does not resolve.";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "The URL's host did not resolve in time.";
        }

        if (addresses.Length == 0) return "The URL's host does not resolve.";
        if (addresses.Select(Refusal).FirstOrDefault(r => r is not null) is { } refusal) return refusal;
        if (url.Scheme == Uri.UriSchemeHttp && !addresses.All(IPAddress.IsLoopback)) return "Plain http is allowed for loopback destinations only.";
        return null;
    }

    /// <summary>Why an address may not receive webhooks, or null.</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return Classify(address) switch
        {
            AddressKind.Public => null,
            AddressKind.Loopback when options.AllowInsecureLoopback => null,
            AddressKind.Private when options.AllowPrivateNetworks => null,
            AddressKind.Loopback => "The URL resolves to a loopback address.",
            AddressKind.Private => "The URL resolves to a private network address.",
            AddressKind.LinkLocal => "The URL resolves to a link-local address.",
            _ => "The URL resolves to an address that cannot receive webhooks.",
        };
    }

    /// <summary>The named client's connect step: resolve, refuse any address the rule refuses, connect to an allowed one.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        if (addresses.Length == 0) throw new WebhookDestinationRefusedException("The destination's host does not resolve.");
        if (addresses.Select(Refusal).FirstOrDefault(r => r is not null) is { } refusal) throw new WebhookDestinationRefusedException(refusal);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var address)) return [address];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        return await Dns.GetHostAddressesAsync(host, timeout.Token);
    }

    private enum AddressKind { Public, Loopback, Private, LinkLocal, Other }

    private static AddressKind Classify(IPAddress address)
    {
        if (IPAddress.IsLoopback(address)) return AddressKind.Loopback;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b switch
            {
                [0, ..] => AddressKind.Other,                                   // this network, 0.0.0.0
                [10, ..] => AddressKind.Private,
                [100, >= 64 and <= 127, ..] => AddressKind.Private,             // carrier-grade NAT
                [169, 254, ..] => AddressKind.LinkLocal,
                [172, >= 16 and <= 31, ..] => AddressKind.Private,
                [192, 0, 0, _] or [192, 0, 2, _] or [198, 51, 100, _] or [203, 0, 113, _] => AddressKind.Other, // IETF and documentation
                [192, 168, ..] => AddressKind.Private,
                [198, 18 or 19, ..] => AddressKind.Other,                       // benchmarking
                [>= 224, ..] => AddressKind.Other,                              // multicast, reserved, broadcast
                _ => AddressKind.Public,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None) || address.IsIPv6Multicast || address.IsIPv6SiteLocal) return AddressKind.Other;
            if (address.IsIPv6LinkLocal) return AddressKind.LinkLocal;
            if (address.IsIPv6UniqueLocal) return AddressKind.Private;
            var b = address.GetAddressBytes();
            // 2001:db8::/32 documentation, 64:ff9b::/96 NAT64 (could reach inside addresses), ::/96 IPv4-compatible.
            if (b is [0x20, 0x01, 0x0d, 0xb8, ..] or [0x00, 0x64, 0xff, 0x9b, ..] || b.Take(12).All(x => x == 0)) return AddressKind.Other;
            return AddressKind.Public;
        }

        return AddressKind.Other;
    }
}

/// <summary>A delivery whose destination resolved to an address the SSRF rule refuses.</summary>
public sealed class WebhookDestinationRefusedException(string message) : Exception(message);
