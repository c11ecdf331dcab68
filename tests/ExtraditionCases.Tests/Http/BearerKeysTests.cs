using System.Net;
using ExtraditionCases.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// The shared-key layout's keys are read once per configuration version (issue 20): the framework's own binding
/// left a lazy read of the section in the validation parameters, which every request's copy of them enumerated.
/// A key added to the configuration while the service runs is still honoured at once.
/// </summary>
public class BearerKeysTests
{
    [Test]
    public async Task The_keys_are_read_once_per_configuration_version_not_per_request()
    {
        await using var api = new ApiFactory();
        var client = api.ClientFor(Tokens.Partner("PK"));
        Assert.That((await client.GetAsync("/api/v1/changes")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var parameters = api.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        var first = parameters.IssuerSigningKeys.ToList();
        var second = parameters.IssuerSigningKeys.ToList();

        Assert.Multiple(() =>
        {
            // The test host's key, named for its issuer: what the framework's binding offers as well.
            Assert.That(first.Cast<SymmetricSecurityKey>().Select(k => Convert.ToBase64String(k.Key)), Is.EqualTo(new[] { Convert.ToBase64String(Tokens.Key) }));
            Assert.That(second, Has.Count.EqualTo(first.Count));
            Assert.That(second[0], Is.SameAs(first[0]), "a lazy read of the configuration would make new key objects on every enumeration");
        });
    }

    [Test]
    public async Task A_key_added_while_the_service_runs_is_accepted_at_once_and_its_issuers_first_key_joins_the_fallback()
    {
        await using var api = new ApiFactory();
        var added = Convert.FromBase64String("YW5vdGhlci1rZXktYWRkZWQtd2hpbGUtdGhlLXNlcnZpY2UtcnVucw==");
        var token = Tokens.Mint(new() { ["role"] = "partner", ["country"] = "PK", ["agency"] = "PARTNER", ["sub"] = "partner-added" }, key: added);
        var client = api.ClientFor(token);
        Assert.That((await client.GetAsync("/api/v1/changes")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "not configured yet");

        var configuration = (IConfigurationRoot)api.Services.GetRequiredService<IConfiguration>();
        configuration["Authentication:Schemes:Bearer:SigningKeys:1:Value"] = Convert.ToBase64String(added);
        configuration.Reload();

        Assert.That((await client.GetAsync("/api/v1/changes")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // Without an issuer, the new key is no issuer's first key: the fallback is unchanged.
        var parameters = api.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        Assert.That(parameters.IssuerSigningKeys.Cast<SymmetricSecurityKey>().Select(k => Convert.ToBase64String(k.Key)), Is.EqualTo(new[] { Convert.ToBase64String(Tokens.Key) }));
    }
}
