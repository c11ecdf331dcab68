using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Observability;
using ExtraditionCases.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace ExtraditionCases.Tests.Http;

/// <summary>The service's edges: proxies, readiness, start-up checks, response hygiene, rate-limit fields.</summary>
public sealed class EdgeTests
{
    private ApiFactory? _api;

    [TearDown]
    public void StopService() => _api?.Dispose();

    private ApiFactory Api(Dictionary<string, string?>? settings = null) => _api = new ApiFactory(settings);

    // ---- Proxies ----

    [Test]
    public async Task Forwarded_headers_are_honoured_from_a_known_proxy_only()
    {
        var api = Api(new() { ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.5", ["ForwardedHeaders:KnownNetworks:0"] = "10.1.0.0/16" });
        _ = api.CreateClient();

        await SendFromAsync(api, "10.0.0.5", "203.0.113.9", "via-proxy");
        await SendFromAsync(api, "10.1.7.7", "203.0.113.10", "via-network");
        await SendFromAsync(api, "10.0.0.6", "203.0.113.11", "via-stranger");

        var addresses = await AccessAddressesAsync(api, 3);
        Assert.Multiple(() =>
        {
            Assert.That(addresses["via-proxy"], Is.EqualTo("203.0.113.9"));
            Assert.That(addresses["via-network"], Is.EqualTo("203.0.113.10"));
            Assert.That(addresses["via-stranger"], Is.EqualTo("10.0.0.6"), "an unknown sender's X-Forwarded-For is ignored");
        });
    }

    [Test]
    public async Task Without_known_proxies_no_forwarded_header_is_believed_not_even_from_the_loopback()
    {
        var api = Api();
        _ = api.CreateClient();

        await SendFromAsync(api, "127.0.0.1", "203.0.113.9", "from-loopback");

        Assert.That((await AccessAddressesAsync(api, 1))["from-loopback"], Is.EqualTo("127.0.0.1"));
    }

    private static async Task SendFromAsync(ApiFactory api, string peer, string forwardedFor, string subject)
    {
        var token = Tokens.Mint(new() { ["role"] = "partner", ["country"] = "PK", ["agency"] = "FIA", ["sub"] = subject });
        var context = await api.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/api/v1/changes";
            c.Request.Headers.Authorization = $"Bearer {token}";
            c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            c.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        });
        Assert.That(context.Response.StatusCode, Is.EqualTo(200));
    }

    private static async Task<Dictionary<string, string?>> AccessAddressesAsync(ApiFactory api, int expected)
    {
        var auditor = api.ClientFor(Tokens.Auditor());
        Dictionary<string, string?> found = [];
        for (var attempt = 0; attempt < 50 && found.Count < expected; attempt++)
        {
            if (attempt > 0) await Task.Delay(50);
            var items = (await auditor.GetFromJsonAsync<JsonObject>("/api/v1/audit/access?limit=1000"))!["items"]!.AsArray();
            found = items.Where(e => ((string?)e!["subject"])?.StartsWith("via-", StringComparison.Ordinal) == true || (string?)e!["subject"] == "from-loopback")
                .ToDictionary(e => (string)e!["subject"]!, e => (string?)e!["clientAddress"]);
        }

        return found;
    }

    // ---- Readiness ----

    [Test]
    public async Task Readiness_fails_while_migrations_are_pending_and_passes_once_they_ran_with_json_detail()
    {
        var api = Api(new() { ["Database:MigrateOnStartup"] = "false" });
        var client = api.CreateClient();

        var pending = await client.GetAsync("/health/ready");
        var pendingBody = await pending.Content.ReadFromJsonAsync<JsonObject>();
        var live = await client.GetAsync("/health/live");
        api.Services.GetRequiredService<Migrator>().Migrate();
        var ready = await client.GetAsync("/health/ready");
        var readyBody = await ready.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(pending.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(pending.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That((string?)pendingBody!["status"], Is.EqualTo("Unhealthy"));
            Assert.That(pendingBody["checks"]!["database"]!["data"]!["pendingMigrations"]!.AsArray().Select(n => (string?)n),
                Does.Contain("sqlite.0001_cases.sql").And.Contain("sqlite.0007_identity_issuer.sql"));
            Assert.That((string?)pendingBody["checks"]!["database"]!["description"], Does.Contain("migrate"));
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "live never looks at the database");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            // The database check decides readiness; the webhook dispatcher may still read Degraded from
            // its passes against the unmigrated database (it backs off and recovers by itself).
            Assert.That((string?)readyBody!["checks"]!["database"]!["status"], Is.EqualTo("Healthy"));
            Assert.That(readyBody["checks"]!["database"]!["data"]!["pendingMigrations"]!.AsArray(), Is.Empty);
        });
    }

    [Test]
    public void The_readiness_check_is_bounded_by_its_configured_timeout()
    {
        var api = Api(new() { ["Health:ReadyTimeoutSeconds"] = "1" });
        _ = api.CreateClient();

        var registration = api.Services.GetRequiredService<IOptions<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckServiceOptions>>()
            .Value.Registrations.Single(r => r.Name == "database");

        Assert.Multiple(() =>
        {
            Assert.That(registration.Timeout, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(registration.Tags, Does.Contain("ready"));
        });
    }

    // ---- Start-up checks ----

    [TestCase("Deadlines:TimeZones:GB", "Europe/Londres", "Deadlines:TimeZones")]
    [TestCase("Deadlines:RuleSets:FR", "FR", "Deadlines:RuleSets")]
    [TestCase("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/99", "ForwardedHeaders:KnownNetworks")]
    [TestCase("ForwardedHeaders:KnownProxies:0", "ingress", "ForwardedHeaders:KnownProxies")]
    [TestCase("Health:ReadyTimeoutSeconds", "0", "Health:ReadyTimeoutSeconds")]
    [TestCase("Database:SqliteGroupCommitWrites", "0", "Database:SqliteGroupCommitWrites")]
    public void Start_up_refuses_a_bad_setting_naming_its_key(string key, string value, string named)
    {
        var api = Api(new() { [key] = value });

        var refusal = api.StartUpRefusal();

        Assert.That(refusal.Message, Does.Contain(named));
    }

    [TestCase(null, "does not name a SQL Server database", TestName = "Start-up refuses SQL Server with the default SQLite connection string")]
    [TestCase("Server=db,1433;User ID=api;Password=x", "does not name a SQL Server database", TestName = "Start-up refuses SQL Server without a database named")]
    [TestCase("<set-me>", "ConnectionStrings:Cases is still a <set-me> placeholder", TestName = "Start-up refuses a placeholder connection string")]
    public void Start_up_refuses_a_sql_server_connection_string_that_names_no_database(string? connectionString, string message)
    {
        var settings = new Dictionary<string, string?> { ["Database:Provider"] = "SqlServer", ["Database:MigrateOnStartup"] = "false" };
        settings["ConnectionStrings:Cases"] = connectionString ?? DatabaseOptions.DefaultSqliteConnectionString;
        var api = Api(settings);

        var refusal = api.StartUpRefusal();

        Assert.That(refusal.Message, Does.Contain(message));
    }

    [Test]
    public void Production_settings_default_to_sql_server_without_migrating_and_development_keeps_sqlite()
    {
        var folder = Path.Combine(Repository.Root, "src", "ExtraditionCases.Api");
        var production = new ConfigurationBuilder().SetBasePath(folder)
            .AddJsonFile("appsettings.json").AddJsonFile("appsettings.Production.json").Build();
        var development = new ConfigurationBuilder().SetBasePath(folder)
            .AddJsonFile("appsettings.json").AddJsonFile("appsettings.Development.json").Build();

        Assert.Multiple(() =>
        {
            Assert.That(production["Database:Provider"], Is.EqualTo("SqlServer"));
            Assert.That(production["Database:MigrateOnStartup"], Is.EqualTo("False").IgnoreCase);
            Assert.That(development["Database:Provider"], Is.EqualTo("Sqlite"));
            Assert.That(development["Database:MigrateOnStartup"], Is.EqualTo("True").IgnoreCase);
            Assert.That(production["Authentication:Schemes:Bearer:ValidIssuer"], Is.Null, "no empty issuer to accept");
        });
    }

    // ---- Response hygiene ----

    [Test]
    public async Task Every_api_answer_is_no_store_and_nosniff_exports_and_problems_included()
    {
        var api = Api();
        var c = await CaseDriver.FileAsync(api);
        var auditor = api.ClientFor(Tokens.Auditor());
        var csv = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cases/{c.Id}/history");
        csv.Headers.TryAddWithoutValidation("Accept", "text/csv");

        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["case"] = await api.ClientFor(Tokens.Officer("GB")).GetAsync($"/api/v1/cases/{c.Id}"),
            ["csv export"] = await auditor.SendAsync(csv),
            ["status"] = await api.ClientFor(Tokens.Partner("GB")).GetAsync($"/api/v1/cases/{c.Id}/status"),
            ["401 problem"] = await api.CreateClient().GetAsync($"/api/v1/cases/{c.Id}"),
            ["404 problem"] = await auditor.GetAsync($"/api/v1/cases/{Guid.NewGuid()}"),
        };

        Assert.Multiple(() =>
        {
            foreach (var (what, response) in responses)
            {
                Assert.That(response.Headers.CacheControl?.NoStore, Is.True, what);
                Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"), what);
            }
        });
    }

    [Test]
    public async Task The_fallback_policy_closes_an_endpoint_mapped_without_one()
    {
        var api = Api();
        _ = api.CreateClient();
        var policy = await api.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        var authorization = api.Services.GetRequiredService<IAuthorizationService>();
        var endpoint = new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(), "a new endpoint without a policy");

        async Task<bool> Allowed(ClaimsPrincipal user)
        {
            var http = new DefaultHttpContext { User = user };
            http.SetEndpoint(endpoint);
            return (await authorization.AuthorizeAsync(user, http, policy!)).Succeeded;
        }

        static ClaimsPrincipal User(params string[] roles) =>
            new(new ClaimsIdentity([new Claim("sub", "someone"), .. roles.Select(r => new Claim("role", r))], "Bearer", "sub", "role"));

        Assert.Multiple(async () =>
        {
            Assert.That(policy, Is.Not.Null);
            Assert.That(await Allowed(new ClaimsPrincipal(new ClaimsIdentity())), Is.False, "anonymous");
            Assert.That(await Allowed(User()), Is.False, "no role");
            Assert.That(await Allowed(User("officer", "auditor")), Is.False, "two roles");
            Assert.That(await Allowed(User("officer")), Is.True);
        });
    }

    [Test]
    public async Task A_stale_if_match_is_never_echoed_into_the_problem_or_the_logs()
    {
        const string marker = "zz-client-text-41f9";
        var api = Api();
        using var host = api.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddFakeLogging()));
        var officer = host.CreateClient();
        officer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.Officer("PK"));
        var filed = await Cases.FileAsync(officer);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{filed["id"]}/transitions")
        {
            Content = Cases.Json(new JsonObject { ["trigger"] = "Submit" }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{marker}\"");

        var response = await officer.SendAsync(request);
        var problem = await response.Content.ReadAsStringAsync();
        var logs = host.Services.GetFakeLogCollector().GetSnapshot();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
            Assert.That(problem, Does.Not.Contain(marker));
            Assert.That(problem, Does.Contain("\\u00221\\u0022").Or.Contain("\"1\"").Or.Contain("\\\"1\\\""), "it names the current version");
            Assert.That(logs, Is.Not.Empty);
            Assert.That(logs.Select(l => l.AllText()), Has.None.Contains(marker));
        });
    }

    // ---- RateLimit fields ----

    [Test]
    public async Task Limited_endpoints_carry_the_ietf_ratelimit_policy_and_remaining_fields()
    {
        var api = Api(new()
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:partner:TokensPerSecond"] = "1",
            ["RateLimiting:partner:Burst"] = "5",
        });
        var partner = api.ClientFor(Tokens.Partner("PK"));

        var first = await partner.GetAsync("/api/v1/changes");
        HttpResponseMessage last = first;
        for (var i = 0; i < 10 && last.StatusCode != HttpStatusCode.TooManyRequests; i++) last = await partner.GetAsync("/api/v1/changes");
        var health = await partner.GetAsync("/health/live");

        Assert.Multiple(() =>
        {
            Assert.That(first.Headers.GetValues("RateLimit-Policy").Single(), Is.EqualTo("\"partner\";q=5;w=5"));
            Assert.That(first.Headers.GetValues("RateLimit").Single(), Does.Match("^\"partner\";r=4;t=[01]$"));
            Assert.That(last.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(last.Headers.GetValues("RateLimit").Single(), Does.Match("^\"partner\";r=0;t=[1-9]\\d*$"));
            Assert.That(last.Headers.RetryAfter, Is.Not.Null);
            Assert.That(health.Headers.Contains("RateLimit"), Is.False, "health is not limited");
        });
    }
}
