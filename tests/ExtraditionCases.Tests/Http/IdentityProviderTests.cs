using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// Production identity: one OpenID Connect provider per state (discovery document and JWKS served by
/// a real Kestrel on 127.0.0.1), keys followed through rotation, each provider limited to its
/// countries, and the caller's identity being issuer + sub everywhere.
/// </summary>
public sealed class IdentityProviderTests
{
    private OidcProvider _pakistan = null!;
    private OidcProvider _britain = null!;
    private ApiFactory? _api;

    [SetUp]
    public async Task StartProviders()
    {
        _pakistan = await OidcProvider.StartAsync();
        _britain = await OidcProvider.StartAsync(elliptic: true);
    }

    [TearDown]
    public async Task StopAll()
    {
        _api?.Dispose();
        await _pakistan.DisposeAsync();
        await _britain.DisposeAsync();
    }

    private ApiFactory Api(Dictionary<string, string?>? more = null)
    {
        var settings = _pakistan.IssuerSettings("PK", "PK").Concat(_britain.IssuerSettings("GB", "GB")).ToDictionary();
        foreach (var (key, value) in more ?? []) settings[key] = value;
        _api = new ApiFactory(settings);
        return _api;
    }

    private static HttpRequestMessage FileRequest(string token, string? idempotencyKey = null, JsonObject? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = Cases.Json(body ?? Cases.NewCase()) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return request;
    }

    [Test]
    public async Task Each_states_provider_is_trusted_for_its_own_officers_with_keys_from_its_jwks()
    {
        var api = Api();
        var client = api.CreateClient();

        var pk = await client.SendAsync(FileRequest(_pakistan.Officer("PK", "officer-a")));
        var gb = await client.SendAsync(FileRequest(_britain.Officer("GB", "officer-a")));
        var id = (string)(await pk.ReadObjectAsync())["id"]!;
        var history = await api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}/history");

        Assert.Multiple(() =>
        {
            Assert.That(pk.StatusCode, Is.EqualTo(HttpStatusCode.Created), "RS256 from the PK provider's JWKS");
            Assert.That(gb.StatusCode, Is.EqualTo(HttpStatusCode.Created), "ES256 from the GB provider's JWKS");
            Assert.That((string?)history!["events"]![0]!["actor"]!["issuer"], Is.EqualTo(_pakistan.Issuer));
            Assert.That((string?)history["events"]![0]!["actor"]!["subject"], Is.EqualTo("officer-a"));
            Assert.That(_pakistan.MetadataRequests, Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test]
    public async Task The_issuer_selector_stands_in_front_only_when_state_providers_are_configured()
    {
        // Without state providers there is one scheme to run, so it is the default itself (issue 20); with them, the
        // selector picks each token's provider (the test above).
        var withProviders = Api().Services.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>();
        using var plain = new ApiFactory();
        var withoutProviders = plain.Services.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>();

        Assert.Multiple(async () =>
        {
            Assert.That((await withProviders.GetDefaultAuthenticateSchemeAsync())?.Name, Is.EqualTo(BearerAuthentication.SelectorScheme));
            Assert.That((await withoutProviders.GetDefaultAuthenticateSchemeAsync())?.Name, Is.EqualTo("Bearer"));
            Assert.That((await withoutProviders.GetDefaultChallengeSchemeAsync())?.Name, Is.EqualTo("Bearer"));
        });
        var unauthenticated = await plain.CreateClient().GetAsync($"/api/v1/cases/{Guid.NewGuid()}");
        Assert.That(unauthenticated.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
    }

    [Test]
    public async Task A_token_claiming_a_country_its_provider_may_not_vouch_for_is_401()
    {
        var client = Api().CreateClient();

        var claimsGb = await client.SendAsync(FileRequest(_pakistan.Officer("GB", "officer-b")));
        var claimsTwo = await client.SendAsync(FileRequest(_pakistan.Mint(new() { ["role"] = "officer", ["sub"] = "officer-c", ["country"] = new[] { "PK", "GB" } })));

        Assert.Multiple(() =>
        {
            Assert.That(claimsGb.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(claimsTwo.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task After_the_provider_rotates_its_key_new_tokens_verify_and_tokens_of_the_retired_key_do_not()
    {
        var client = Api().CreateClient();
        var before = _pakistan.Officer("PK", "officer-d");
        Assert.That((await client.SendAsync(FileRequest(before))).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        _pakistan.Rotate();
        var after = _pakistan.Officer("PK", "officer-d");
        // The first token naming an unknown kid makes the service refetch the JWKS; the refetch may
        // finish in the background, so allow it a moment.
        HttpStatusCode status = default;
        for (var attempt = 0; attempt < 40 && status != HttpStatusCode.Created; attempt++)
        {
            if (attempt > 0) await Task.Delay(100);
            status = (await client.SendAsync(FileRequest(after))).StatusCode;
        }

        var retired = await client.SendAsync(FileRequest(before));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created), "a token signed with the new published key");
            Assert.That(retired.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the retired key is no longer published");
            Assert.That(_pakistan.MetadataRequests, Is.GreaterThanOrEqualTo(2), "the metadata was fetched again");
        });
    }

    [Test]
    public async Task Tokens_signed_with_an_unpublished_key_or_a_shared_secret_under_a_providers_issuer_are_401()
    {
        var client = Api().CreateClient();

        var unpublished = await client.SendAsync(FileRequest(_pakistan.MintWithUnpublishedKey(OidcProvider.Claims("PK", "officer-e"))));
        // HS256 with the development key, claiming the provider's issuer: only asymmetric algorithms verify here.
        var hmac = await client.SendAsync(FileRequest(Tokens.Mint(OidcProvider.Claims("PK", "officer-e"), issuer: _pakistan.Issuer, audience: _pakistan.Audience)));

        Assert.Multiple(() =>
        {
            Assert.That(unpublished.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(hmac.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task A_token_valid_for_longer_than_the_maximum_lifetime_is_401()
    {
        var client = Api(new() { ["Authentication:Validation:MaxLifetimeMinutes"] = "60" }).CreateClient();

        var shortLived = await client.SendAsync(FileRequest(_pakistan.Mint(OidcProvider.Claims("PK", "officer-f"), TimeSpan.FromMinutes(60))));
        var longLived = await client.SendAsync(FileRequest(_pakistan.Mint(OidcProvider.Claims("PK", "officer-f"), TimeSpan.FromHours(8))));

        Assert.Multiple(() =>
        {
            Assert.That(shortLived.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(longLived.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task ValidTypes_pins_the_token_type()
    {
        var client = Api(new() { ["Authentication:Validation:ValidTypes:0"] = "at+jwt" }).CreateClient();

        var accessToken = await client.SendAsync(FileRequest(_pakistan.Mint(OidcProvider.Claims("PK", "officer-g"), type: "at+jwt")));
        var idToken = await client.SendAsync(FileRequest(_pakistan.Mint(OidcProvider.Claims("PK", "officer-g"), type: "JWT")));

        Assert.Multiple(() =>
        {
            Assert.That(accessToken.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(idToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task A_token_without_exactly_one_role_claim_is_403()
    {
        var client = Api().CreateClient();
        var twoRoles = OidcProvider.Claims("PK", "officer-h", role: null);
        twoRoles["role"] = new[] { "officer", "auditor" };

        var none = await client.SendAsync(FileRequest(_pakistan.Mint(OidcProvider.Claims("PK", "officer-h", role: null))));
        var two = await client.SendAsync(FileRequest(_pakistan.Mint(twoRoles)));
        var twoReading = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit/events");
        twoReading.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _pakistan.Mint(twoRoles));
        var auditAsTwo = await client.SendAsync(twoReading);

        Assert.Multiple(() =>
        {
            Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(two.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(auditAsTwo.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "not read as the auditor role either");
        });
    }

    [Test]
    public async Task The_same_sub_from_the_other_states_provider_cannot_replay_or_collide_with_an_idempotency_key()
    {
        var client = Api().CreateClient();
        var body = Cases.NewCase("PK", "GB");

        var first = await client.SendAsync(FileRequest(_pakistan.Officer("PK", "shared-sub"), "key-1", body));
        var other = await client.SendAsync(FileRequest(_britain.Officer("GB", "shared-sub"), "key-1", body));
        var otherDifferentBody = await client.SendAsync(FileRequest(_britain.Officer("GB", "shared-sub"), "key-2", body));
        var retryOther = await client.SendAsync(FileRequest(_britain.Officer("GB", "shared-sub"), "key-2", Cases.NewCase("PK", "GB", Cases.ArabicName)));
        var replay = await client.SendAsync(FileRequest(_pakistan.Officer("PK", "shared-sub"), "key-1", body));

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Created), "another caller: its own case, not the first one's");
            Assert.That(other.Headers.Contains("Idempotent-Replayed"), Is.False);
            Assert.That(other.Headers.Location, Is.Not.EqualTo(first.Headers.Location));
            Assert.That(otherDifferentBody.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(retryOther.StatusCode, Is.EqualTo((HttpStatusCode)422), "its own key reused with another body");
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(replay.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
            Assert.That(replay.Headers.Location, Is.EqualTo(first.Headers.Location));
            Assert.That(await replay.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        });
    }

    [Test]
    public async Task The_same_sub_from_the_other_states_provider_is_another_uploader_author_and_subscriber()
    {
        var api = Api(new() { ["Webhooks:AllowInsecureLoopback"] = "true", ["Webhooks:DispatcherEnabled"] = "false" });
        var pk = api.ClientFor(_pakistan.Officer("PK", "shared-sub"));
        var gb = api.ClientFor(_britain.Officer("GB", "shared-sub"));
        var pkPartner = api.ClientFor(_pakistan.Officer("PK", "shared-partner", role: "partner"));
        var gbPartner = api.ClientFor(_britain.Officer("GB", "shared-partner", role: "partner"));
        var caseId = (string)(await (await api.CreateClient().SendAsync(FileRequest(_pakistan.Officer("PK", "shared-sub")))).ReadObjectAsync())["id"]!;

        await Documents.AddAsync(pk, caseId, Documents.Metadata());
        await Documents.AddAsync(gb, caseId, Documents.Metadata("Correspondence", "Reply of the Home Office"));
        foreach (var client in new[] { pk, gb })
        {
            var noted = await client.PostAsync($"/api/v1/cases/{caseId}/notes", Cases.Json(new JsonObject
            {
                ["kind"] = "Note", ["occurredAt"] = "2026-11-19T09:00:00Z", ["text"] = "Hearing listed.",
            }));
            Assert.That((int)noted.StatusCode, Is.EqualTo(201), await noted.Content.ReadAsStringAsync());
        }

        var documents = (await gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/documents"))!["items"]!.AsArray();
        var notes = (await pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/notes"))!["items"]!.AsArray();
        var created = await (await pkPartner.PostAsync("/api/v1/webhooks/subscriptions", Cases.Json(new JsonObject { ["url"] = "http://127.0.0.1:9/hook" }))).ReadObjectAsync();
        var id = (string)created["subscription"]!["id"]!;
        var seenByOther = await gbPartner.GetAsync($"/api/v1/webhooks/subscriptions/{id}");
        var rotatedByOther = await gbPartner.PostAsync($"/api/v1/webhooks/subscriptions/{id}/rotate-secret", null);
        var listedByOther = (await gbPartner.GetFromJsonAsync<JsonObject>("/api/v1/webhooks/subscriptions"))!["items"]!.AsArray();
        var seenByOwner = await (await pkPartner.GetAsync($"/api/v1/webhooks/subscriptions/{id}")).ReadObjectAsync();

        static (string?, string?) Who(JsonNode? who) => ((string?)who!["subject"], (string?)who["issuer"]);
        Assert.Multiple(() =>
        {
            Assert.That(documents.Select(d => Who(d!["uploadedBy"])), Is.EquivalentTo(new[] { ("shared-sub", _pakistan.Issuer), ("shared-sub", _britain.Issuer) }),
                "one subject, two callers: each upload names its issuer");
            Assert.That(notes.Select(n => Who(n!["recordedBy"])), Is.EquivalentTo(new[] { ("shared-sub", _pakistan.Issuer), ("shared-sub", _britain.Issuer) }));
            Assert.That(Who(created["subscription"]!["createdBy"]), Is.EqualTo(("shared-partner", _pakistan.Issuer)));
            Assert.That(Who(seenByOwner["createdBy"]), Is.EqualTo(("shared-partner", _pakistan.Issuer)));
            Assert.That((int)seenByOther.StatusCode, Is.EqualTo(404), "the same sub from the GB provider is not the subscription's holder");
            Assert.That((int)rotatedByOther.StatusCode, Is.EqualTo(404), "nor may it rotate its secret");
            Assert.That(listedByOther, Is.Empty);
        });
    }

    [Test]
    public async Task The_same_sub_from_the_other_states_provider_has_its_own_rate_limit_bucket()
    {
        var client = Api(new()
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:partner:TokensPerSecond"] = "1",
            ["RateLimiting:partner:Burst"] = "3",
        }).CreateClient();
        var pk = _pakistan.Officer("PK", "shared-partner", role: "partner");
        var gb = _britain.Officer("GB", "shared-partner", role: "partner");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) statuses.Add((await Get(client, "/api/v1/changes", pk)).StatusCode);
        var other = await Get(client, "/api/v1/changes", gb);

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Does.Contain(HttpStatusCode.TooManyRequests), "the PK caller exhausted its bucket");
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the GB caller with the same sub is another caller");
        });
    }

    [Test]
    public async Task The_access_log_records_the_issuer_beside_the_subject()
    {
        var api = Api();
        var client = api.CreateClient();
        await Get(client, "/api/v1/changes", _britain.Officer("GB", "officer-log", role: "partner"));

        JsonArray items = [];
        for (var attempt = 0; attempt < 50 && !items.Any(e => (string?)e!["subject"] == "officer-log"); attempt++)
        {
            if (attempt > 0) await Task.Delay(50);
            items = (await api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>("/api/v1/audit/access?limit=1000"))!["items"]!.AsArray();
        }

        var entry = items.Single(e => (string?)e!["subject"] == "officer-log");
        Assert.That((string?)entry!["issuer"], Is.EqualTo(_britain.Issuer));
    }

    [Test]
    public async Task The_frameworks_single_Authority_setting_still_works_for_one_provider()
    {
        _api = new ApiFactory(new()
        {
            ["Authentication:Schemes:Bearer:Authority"] = _pakistan.Issuer,
            ["Authentication:Schemes:Bearer:RequireHttpsMetadata"] = "false",
            ["Authentication:Schemes:Bearer:ValidIssuer"] = null,
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = _pakistan.Audience,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = null,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = null,
        });
        var client = _api.CreateClient();

        var published = await client.SendAsync(FileRequest(_pakistan.Officer("PK", "officer-i")));
        var shared = await client.SendAsync(FileRequest(Tokens.Mint(OidcProvider.Claims("PK", "officer-i"), issuer: _pakistan.Issuer, audience: _pakistan.Audience)));

        Assert.Multiple(() =>
        {
            Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(shared.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "HS256 is not accepted from a provider with published keys");
        });
    }

    [TestCase("Authentication:Schemes:Bearer:ValidIssuer", "", "ValidIssuer is empty")]
    [TestCase("Authentication:Schemes:Bearer:ValidIssuer", "<set-me>", "ValidIssuer is empty or a placeholder")]
    [TestCase("Authentication:Issuers:PK:Audience", "", "Authentication:Issuers:PK:Audience is empty")]
    [TestCase("Authentication:Issuers:PK:Countries:0", "Pakistan", "not an ISO 3166-1 alpha-2 code")]
    [TestCase("Authentication:Validation:ValidAlgorithms:0", "HS256", "only asymmetric algorithms")]
    [TestCase("Authentication:Validation:RememberedTokens", "100001", "RememberedTokens must be 0-100000")]
    public void Start_up_refuses_settings_that_would_accept_the_wrong_tokens_with_a_clear_message(string key, string value, string message)
    {
        var api = Api(new() { [key] = value });

        var refusal = api.StartUpRefusal();

        Assert.That(refusal.Message, Does.Contain(message));
    }

    private static Task<HttpResponseMessage> Get(HttpClient client, string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }
}
