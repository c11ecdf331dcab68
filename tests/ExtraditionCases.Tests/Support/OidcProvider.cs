using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExtraditionCases.Tests.Support;

/// <summary>
/// A real OpenID Connect provider as far as a resource server can tell: a discovery document and a
/// JWKS served over HTTP by Kestrel on 127.0.0.1, with a real RSA (RS256) or EC P-256 (ES256) key
/// that the test can rotate. It mints the tokens its state's callers would bring.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _elliptic;
    private volatile SigningKey[] _published;
    private int _generation;

    private sealed record SigningKey(SecurityKey Key, string Algorithm, Dictionary<string, object> Jwk);

    private OidcProvider(WebApplication app, bool elliptic)
    {
        _app = app;
        _elliptic = elliptic;
        _published = [NewKey()];
    }

    /// <summary>The issuer (and Authority): the server's base address.</summary>
    public string Issuer { get; private set; } = "";

    public string Audience { get; } = "extradition-cases-api";

    private int _metadataRequests;

    /// <summary>How often the discovery document was fetched.</summary>
    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    public static async Task<OidcProvider> StartAsync(bool elliptic = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var provider = new OidcProvider(app, elliptic);
        app.MapGet("/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref provider._metadataRequests);
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = provider.Issuer,
                ["jwks_uri"] = $"{provider.Issuer}/jwks",
                ["id_token_signing_alg_values_supported"] = new[] { elliptic ? "ES256" : "RS256" },
                ["response_types_supported"] = new[] { "code" },
                ["subject_types_supported"] = new[] { "public" },
            });
        });
        app.MapGet("/jwks", () => Results.Json(new { keys = provider._published.Select(k => k.Jwk).ToArray() }));
        await app.StartAsync();
        provider.Issuer = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return provider;
    }

    /// <summary>Settings for <c>Authentication:Issuers:&lt;name&gt;</c>.</summary>
    public Dictionary<string, string?> IssuerSettings(string name, params string[] countries)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Authentication:Issuers:{name}:Authority"] = Issuer,
            [$"Authentication:Issuers:{name}:Audience"] = Audience,
            // Plain HTTP is for this loopback test provider only.
            [$"Authentication:Issuers:{name}:RequireHttpsMetadata"] = "false",
        };
        for (var i = 0; i < countries.Length; i++) settings[$"Authentication:Issuers:{name}:Countries:{i}"] = countries[i];
        return settings;
    }

    /// <summary>A new signing key replaces the published one; tokens signed with the old key no longer verify.</summary>
    public void Rotate() => _published = [NewKey()];

    /// <summary>A key the provider signs with but has not published (yet).</summary>
    public string MintWithUnpublishedKey(Dictionary<string, object> claims) => Mint(claims, NewKey());

    public string Officer(string country, string subject, string? role = "officer") => Mint(Claims(country, subject, role));

    public static Dictionary<string, object> Claims(string country, string subject, string? role = "officer")
    {
        var claims = new Dictionary<string, object> { ["country"] = country, ["agency"] = "IDP", ["sub"] = subject };
        if (role is not null) claims["role"] = role;
        return claims;
    }

    public string Mint(Dictionary<string, object> claims, TimeSpan? lifetime = null, string? type = null) => Mint(claims, _published[0], lifetime, type);

    private string Mint(Dictionary<string, object> claims, SigningKey key, TimeSpan? lifetime = null, string? type = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = claims,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddMinutes(-1) + (lifetime ?? TimeSpan.FromMinutes(30)),
            TokenType = type,
            SigningCredentials = new SigningCredentials(key.Key, key.Algorithm),
        });
    }

    private SigningKey NewKey()
    {
        var id = $"key-{Interlocked.Increment(ref _generation)}-{Guid.NewGuid():N}";
        if (_elliptic)
        {
            var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var p = ec.ExportParameters(includePrivateParameters: false);
            return new SigningKey(new ECDsaSecurityKey(ec) { KeyId = id }, SecurityAlgorithms.EcdsaSha256, new()
            {
                ["kty"] = "EC", ["use"] = "sig", ["alg"] = "ES256", ["kid"] = id, ["crv"] = "P-256",
                ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
            });
        }

        var rsa = RSA.Create(2048);
        var r = rsa.ExportParameters(includePrivateParameters: false);
        return new SigningKey(new RsaSecurityKey(rsa) { KeyId = id }, SecurityAlgorithms.RsaSha256, new()
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = id,
            ["n"] = Base64UrlEncoder.Encode(r.Modulus), ["e"] = Base64UrlEncoder.Encode(r.Exponent),
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
