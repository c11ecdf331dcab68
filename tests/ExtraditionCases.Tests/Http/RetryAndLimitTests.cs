using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>Retries with Idempotency-Key, and per-caller rate limits.</summary>
public sealed class RetryAndLimitTests
{
    private ApiFactory _api = null!;

    [TearDown]
    public void StopService() => _api.Dispose();

    private static HttpRequestMessage Post(string url, JsonNode body, string? key, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Cases.Json(body) };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private async Task<int> CountCasesAsync() =>
        (await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>("/api/v1/cases?limit=200"))!["items"]!.AsArray().Count;

    [Test]
    public async Task A_retried_filing_is_replayed_with_the_first_response()
    {
        _api = new ApiFactory();
        var officer = _api.ClientFor(Tokens.Officer("PK"));

        var first = await officer.SendAsync(Post("/api/v1/cases", Cases.NewCase(), "file-2026-11-20-001"));
        var retry = await officer.SendAsync(Post("/api/v1/cases", Cases.NewCase(), "file-2026-11-20-001"));

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(first.Headers.Contains("Idempotent-Replayed"), Is.False);
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(retry.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
            Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location));
            Assert.That(retry.Headers.ETag, Is.EqualTo(first.Headers.ETag));
            Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
            Assert.That(await CountCasesAsync(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_retried_transition_is_replayed_even_though_its_if_match_is_stale_by_then()
    {
        _api = new ApiFactory();
        var c = await CaseDriver.FileAsync(_api);
        var gb = _api.ClientFor(Tokens.Officer("GB"));
        var body = new JsonObject { ["trigger"] = "ProvisionalArrest" };

        var first = await gb.SendAsync(Post($"/api/v1/cases/{c.Id}/transitions", body, "arrest-1", "\"1\""));
        var retry = await gb.SendAsync(Post($"/api/v1/cases/{c.Id}/transitions", body, "arrest-1", "\"1\""));
        var withoutKey = await gb.SendAsync(Post($"/api/v1/cases/{c.Id}/transitions", body, null, "\"1\""));

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(retry.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
            Assert.That(retry.Headers.ETag!.Tag, Is.EqualTo("\"2\""));
            Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
            Assert.That(withoutKey.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        });
        var history = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{c.Id}/history");
        Assert.That(history!["events"]!.AsArray(), Has.Count.EqualTo(2), "one effect");
    }

    [Test]
    public async Task The_same_key_with_a_different_body_is_422_and_keys_are_scoped_per_caller()
    {
        _api = new ApiFactory();
        var pk1 = _api.ClientFor(Tokens.Officer("PK", subject: "alice"));
        var pk2 = _api.ClientFor(Tokens.Officer("PK", subject: "bob"));

        await pk1.SendAsync(Post("/api/v1/cases", Cases.NewCase(), "shared-key"));
        var different = await pk1.SendAsync(Post("/api/v1/cases", Cases.NewCase(fullName: "Someone Else"), "shared-key"));
        var otherCaller = await pk2.SendAsync(Post("/api/v1/cases", Cases.NewCase(), "shared-key"));

        Assert.Multiple(async () =>
        {
            Assert.That(different.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(different.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(otherCaller.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(otherCaller.Headers.Contains("Idempotent-Replayed"), Is.False);
            Assert.That(await CountCasesAsync(), Is.EqualTo(2));
        });
    }

    [TestCase("has space")]
    [TestCase("k-0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789-overlong")]
    [TestCase("ünïcödé")]
    public async Task A_malformed_key_is_400(string key)
    {
        _api = new ApiFactory();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = Cases.Json(Cases.NewCase()) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var response = await _api.ClientFor(Tokens.Officer("PK")).SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await CountCasesAsync(), Is.Zero);
    }

    [Test]
    public async Task A_key_is_kept_for_24_hours()
    {
        _api = new ApiFactory();
        var officer = _api.ClientFor(Tokens.Officer("PK"));
        await officer.SendAsync(Post("/api/v1/cases", Cases.NewCase(), "day-old"));

        _api.Clock.Advance(TimeSpan.FromHours(23));
        var withinADay = await officer.SendAsync(Post("/api/v1/cases", Cases.NewCase(), "day-old"));
        _api.Clock.Advance(TimeSpan.FromHours(2));
        var afterADay = await officer.SendAsync(Post("/api/v1/cases", Cases.NewCase(), "day-old"));

        Assert.Multiple(async () =>
        {
            Assert.That(withinADay.Headers.Contains("Idempotent-Replayed"), Is.True);
            Assert.That(afterADay.StatusCode, Is.EqualTo(HttpStatusCode.Created), "an expired key is free again, purged or not");
            Assert.That(afterADay.Headers.Contains("Idempotent-Replayed"), Is.False);
            Assert.That(await CountCasesAsync(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_retry_storm_of_50_parallel_posts_with_one_key_creates_exactly_one_case()
    {
        _api = new ApiFactory();
        var officer = _api.ClientFor(Tokens.Officer("PK"));
        var body = Cases.NewCase();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => officer.SendAsync(Post("/api/v1/cases", body, "storm-1"))));

        var locations = responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Headers.Location!.ToString()).Distinct().ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(responses.Select(r => (int)r.StatusCode), Is.All.AnyOf(201, 409));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed")), Is.EqualTo(1));
            Assert.That(locations, Has.Count.EqualTo(1));
            Assert.That(await CountCasesAsync(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_partner_over_its_limit_gets_429_with_retry_after_while_others_are_unaffected()
    {
        _api = new ApiFactory(new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:partner:TokensPerSecond"] = "1",
            ["RateLimiting:partner:Burst"] = "5",
        });
        var c = await CaseDriver.FileAsync(_api);
        var partner = _api.ClientFor(Tokens.Partner("PK"));
        var otherPartner = _api.ClientFor(Tokens.Partner("GB"));
        var officer = _api.ClientFor(Tokens.Officer("GB"));

        var burst = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++) burst.Add(await partner.GetAsync($"/api/v1/cases/{c.Id}/status"));
        var limited = burst.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        var other = await otherPartner.GetAsync($"/api/v1/cases/{c.Id}/status");
        var officerRead = await officer.GetAsync($"/api/v1/cases/{c.Id}");
        var health = await _api.CreateClient().GetAsync("/health/live");

        Assert.Multiple(async () =>
        {
            Assert.That(burst.Count(r => r.StatusCode == HttpStatusCode.OK), Is.InRange(5, 7));
            Assert.That(burst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.GreaterThanOrEqualTo(5));
            Assert.That(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(1));
            Assert.That(limited.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((int?)(await limited.ReadObjectAsync())["status"], Is.EqualTo(429));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(officerRead.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
