using System.Net;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// Validated bearer tokens are remembered per scheme (issue 20), and a remembered token is still held to its lifetime,
/// its key set and its exact text. The handler is tested on IdentityModel's own <see cref="JsonWebTokenHandler"/> with
/// real signed tokens; the service's wiring over HTTP.
/// </summary>
public class RememberedTokensTests
{
    // IdentityModel checks lifetimes on the system clock (its time provider is not settable), so tokens are minted
    // around the real time and the handler's own clock starts there.
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow;

    [Test]
    public async Task A_token_used_again_is_verified_once_and_each_request_gets_its_own_claims()
    {
        var (remembering, inner, parameters, _) = Handler();
        var token = Mint(expires: Start.AddHours(1));

        var results = new List<TokenValidationResult>();
        for (var i = 0; i < 3; i++) results.Add(await remembering.ValidateTokenAsync(token, parameters));

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.IsValid), Is.All.True);
            Assert.That(inner.Calls, Is.EqualTo(1), "the signature was checked once");
            Assert.That(results.Select(r => r.ClaimsIdentity).Distinct(), Has.Exactly(3).Items, "no two requests share a claims identity");
            Assert.That(results.Select(r => r.ClaimsIdentity.FindFirst("sub")?.Value), Is.All.EqualTo("partner-PK"));
            Assert.That(results[2].ClaimsIdentity.RoleClaimType, Is.EqualTo("role"));
            Assert.That(new System.Security.Claims.ClaimsPrincipal(results[2].ClaimsIdentity).IsInRole("partner"), Is.True);
            Assert.That(results[2].SecurityToken, Is.InstanceOf<JsonWebToken>());
        });
    }

    [Test]
    public async Task Claim_names_stay_case_sensitive_in_a_remembered_identity()
    {
        var (remembering, _, parameters, _) = Handler();
        var token = Mint(expires: Start.AddHours(1), claims: new() { ["sub"] = "s", ["ROLE"] = "auditor" });

        var first = await remembering.ValidateTokenAsync(token, parameters);
        var again = await remembering.ValidateTokenAsync(token, parameters);

        Assert.Multiple(() =>
        {
            Assert.That(first.ClaimsIdentity.FindFirst("role"), Is.Null, "IdentityModel's own identity: 'ROLE' is not 'role'");
            Assert.That(again.ClaimsIdentity.FindFirst("role"), Is.Null, "nor in the remembered one's copy");
            Assert.That(new System.Security.Claims.ClaimsPrincipal(again.ClaimsIdentity).IsInRole("auditor"), Is.False);
        });
    }

    [Test]
    public async Task A_remembered_token_is_answered_from_memory_only_within_its_lifetime_and_the_clock_skew()
    {
        var (remembering, inner, parameters, clock) = Handler();
        var token = Mint(expires: Start.AddMinutes(10));
        Assert.That((await remembering.ValidateTokenAsync(token, parameters)).IsValid, Is.True);

        // Within the clock skew after exp: still answered from memory.
        clock.SetUtcNow(Start.AddMinutes(10) + parameters.ClockSkew - TimeSpan.FromSeconds(1));
        Assert.That((await remembering.ValidateTokenAsync(token, parameters)).IsValid, Is.True);
        Assert.That(inner.Calls, Is.EqualTo(1));

        // Past it, the token goes back to IdentityModel (which, on the real clock, refuses it then).
        clock.SetUtcNow(Start.AddMinutes(10) + parameters.ClockSkew + TimeSpan.FromSeconds(1));
        await remembering.ValidateTokenAsync(token, parameters);
        Assert.That(inner.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task A_token_before_its_nbf_less_the_skew_is_not_answered_from_memory()
    {
        // The handler's clock stands 31 s before the real one; the token's nbf is 30 s after it, within IdentityModel's
        // 60 s skew on the real clock, but past it on the handler's.
        var (remembering, inner, parameters, _) = Handler(start: Start.AddSeconds(-31));
        var token = Tokens.Mint(new() { ["role"] = "partner", ["sub"] = "partner-PK" }, expires: Start.AddHours(1).UtcDateTime,
            notBefore: Start.AddSeconds(30).UtcDateTime);

        Assert.That((await remembering.ValidateTokenAsync(token, parameters)).IsValid, Is.True);
        await remembering.ValidateTokenAsync(token, parameters);

        Assert.That(inner.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task A_token_signed_by_a_certificate_is_not_answered_from_memory_once_the_certificate_has_expired()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=provider", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(Start.AddHours(-1), Start.AddMinutes(10));
        var key = new X509SecurityKey(certificate);
        var (remembering, inner, parameters, clock) = Handler();
        parameters.IssuerSigningKey = key;
        parameters.ValidateIssuerSigningKey = true;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Tokens.Issuer,
            Audience = Tokens.Audience,
            Claims = new Dictionary<string, object> { ["sub"] = "partner-PK", ["role"] = "partner" },
            NotBefore = Start.AddMinutes(-5).UtcDateTime,
            Expires = Start.AddHours(1).UtcDateTime,
            SigningCredentials = new X509SigningCredentials(certificate),
        });
        Assert.That((await remembering.ValidateTokenAsync(token, parameters)).IsValid, Is.True);

        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        clock.SetUtcNow(notAfter + parameters.ClockSkew - TimeSpan.FromSeconds(1));
        Assert.That((await remembering.ValidateTokenAsync(token, parameters)).IsValid, Is.True);
        Assert.That(inner.Calls, Is.EqualTo(1), "the certificate is still valid within the skew");

        clock.SetUtcNow(notAfter + parameters.ClockSkew + TimeSpan.FromSeconds(1));
        await remembering.ValidateTokenAsync(token, parameters);
        Assert.That(inner.Calls, Is.EqualTo(2), "the token lives an hour, its certificate no longer");
    }

    [Test]
    public async Task Nothing_is_answered_from_memory_while_the_providers_metadata_cannot_be_fetched()
    {
        var (remembering, inner, parameters, _) = Handler();
        parameters.ConfigurationManager = new UnreachableProvider();
        var token = Mint(expires: Start.AddHours(1));

        for (var i = 0; i < 3; i++) await remembering.ValidateTokenAsync(token, parameters);

        Assert.Multiple(() =>
        {
            Assert.That(inner.Calls, Is.EqualTo(3));
            Assert.That(remembering.Count, Is.Zero);
        });
    }

    [Test]
    public async Task Concurrent_requests_with_one_token_each_get_a_valid_result_and_their_own_claims()
    {
        var (remembering, _, parameters, _) = Handler();
        var token = Mint(expires: Start.AddHours(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => remembering.ValidateTokenAsync(token, parameters))));

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.IsValid), Is.All.True);
            Assert.That(results.Select(r => r.ClaimsIdentity).Distinct(), Has.Exactly(64).Items);
            Assert.That(results.Select(r => r.ClaimsIdentity.FindFirst("sub")?.Value), Is.All.EqualTo("partner-PK"));
            Assert.That(remembering.Count, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Tokens_longer_than_8_KiB_are_validated_every_time()
    {
        var (remembering, inner, parameters, _) = Handler();
        var token = Mint(expires: Start.AddHours(1), claims: new() { ["sub"] = "s", ["role"] = "partner", ["pad"] = new string('x', RememberedTokens.MaxTokenLength) });

        for (var i = 0; i < 2; i++) Assert.That((await remembering.ValidateTokenAsync(token, parameters)).IsValid, Is.True);

        Assert.That(inner.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task A_changed_key_set_validates_the_token_again_and_a_withdrawn_key_is_refused()
    {
        var version = new object();
        var (remembering, inner, parameters, _) = Handler(() => version);
        var token = Mint(expires: Start.AddHours(1));
        Assert.That((await remembering.ValidateTokenAsync(token, parameters)).IsValid, Is.True);

        version = new object();
        parameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String("YW5vdGhlci1rZXktdGhhdC1yZXBsYWNlcy10aGUtZmlyc3Qtb25l"));
        var after = await remembering.ValidateTokenAsync(token, parameters);

        Assert.Multiple(() =>
        {
            Assert.That(after.IsValid, Is.False, "its key is gone");
            Assert.That(inner.Calls, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Refused_tokens_are_never_remembered_and_the_memory_is_bounded()
    {
        var (remembering, inner, parameters, _) = Handler(capacity: 2);
        var forged = Mint(expires: Start.AddHours(1), key: Convert.FromBase64String("bm90LXRoZS1rZXktdGhlLXNlcnZpY2UtdHJ1c3RzLWF0LWFsbA=="));

        for (var i = 0; i < 3; i++) Assert.That((await remembering.ValidateTokenAsync(forged, parameters)).IsValid, Is.False);
        Assert.That(remembering.Count, Is.Zero);
        Assert.That(inner.Calls, Is.EqualTo(3));

        for (var i = 0; i < 5; i++)
        {
            var token = Mint(expires: Start.AddHours(1), claims: new() { ["sub"] = $"partner-{i}", ["role"] = "partner" });
            Assert.That((await remembering.ValidateTokenAsync(token, parameters)).IsValid, Is.True);
            Assert.That(remembering.Count, Is.LessThanOrEqualTo(2));
        }
    }

    [Test]
    public async Task The_service_remembers_per_scheme_and_a_key_removed_while_it_runs_is_refused_at_once()
    {
        await using var api = new ApiFactory();
        var added = Convert.FromBase64String("YS1rZXktdGhhdC1pcy1hZGRlZC10aGVuLXJlbW92ZWQtYWdhaW4=");
        var token = Tokens.Mint(new() { ["role"] = "partner", ["country"] = "PK", ["agency"] = "PARTNER", ["sub"] = "partner-removed" }, key: added);
        var client = api.ClientFor(token);
        var configuration = (IConfigurationRoot)api.Services.GetRequiredService<IConfiguration>();
        configuration["Authentication:Schemes:Bearer:SigningKeys:1:Value"] = Convert.ToBase64String(added);
        configuration.Reload();

        for (var i = 0; i < 3; i++) Assert.That((await client.GetAsync("/api/v1/changes")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var handler = api.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme)
            .TokenHandlers.OfType<RememberedTokens>().Single();
        Assert.That(handler.Count, Is.EqualTo(1), "the token is remembered");

        configuration["Authentication:Schemes:Bearer:SigningKeys:1:Value"] = "";
        configuration.Reload();

        Assert.That((await client.GetAsync("/api/v1/changes")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task The_per_request_checks_still_refuse_a_remembered_token_without_a_subject()
    {
        await using var api = new ApiFactory();
        var client = api.ClientFor(Tokens.Mint(new() { ["role"] = "partner", ["country"] = "PK", ["agency"] = "PARTNER" }));

        var first = await client.GetAsync("/api/v1/changes");
        var again = await client.GetAsync("/api/v1/changes");
        var handler = api.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme)
            .TokenHandlers.OfType<RememberedTokens>().Single();

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "OnTokenValidated runs on a remembered token too");
            Assert.That(handler.Count, Is.EqualTo(1), "IdentityModel accepted its signature and claims: it was remembered");
        });
    }

    [Test]
    public async Task RememberedTokens_0_turns_it_off()
    {
        await using var api = new ApiFactory(new() { ["Authentication:Validation:RememberedTokens"] = "0" });
        var client = api.ClientFor(Tokens.Partner("PK"));
        Assert.That((await client.GetAsync("/api/v1/changes")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var handlers = api.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).TokenHandlers;
        Assert.That(handlers.OfType<RememberedTokens>(), Is.Empty);
        Assert.That(handlers, Has.Count.EqualTo(1));
    }

    private static (RememberedTokens Remembering, CountingHandler Inner, TokenValidationParameters Parameters, FakeTimeProvider Clock) Handler(
        Func<object?>? version = null, int capacity = 16, DateTimeOffset? start = null)
    {
        var clock = new FakeTimeProvider(start ?? Start);
        var inner = new CountingHandler(new JsonWebTokenHandler { MapInboundClaims = false });
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Tokens.Issuer,
            ValidAudience = Tokens.Audience,
            IssuerSigningKey = new SymmetricSecurityKey(Tokens.Key),
            NameClaimType = "sub",
            RoleClaimType = "role",
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(60),
        };
        var fixedVersion = new object();
        return (new RememberedTokens(inner, version ?? (() => fixedVersion), capacity, clock), inner, parameters, clock);
    }

    private static string Mint(DateTimeOffset expires, Dictionary<string, object>? claims = null, byte[]? key = null) =>
        Tokens.Mint(claims ?? new() { ["role"] = "partner", ["country"] = "PK", ["sub"] = "partner-PK" }, key,
            expires: expires.UtcDateTime, notBefore: Start.AddMinutes(-5).UtcDateTime);

    private sealed class CountingHandler(TokenHandler inner) : TokenHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _calls);
            return inner.ValidateTokenAsync(token, validationParameters);
        }
    }

    private sealed class UnreachableProvider : BaseConfigurationManager
    {
        public override Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) =>
            throw new InvalidOperationException("IDX20803: Unable to obtain configuration (a test provider that is down).");

        public override void RequestRefresh()
        {
        }
    }
}
