using System.Net;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Observability;

public sealed class CorrelationIdTests
{
    private const string Header = "X-Correlation-Id";
    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory();

    [TearDown]
    public void StopService() => _api.Dispose();

    private async Task<HttpResponseMessage> GetAsync(string url, string? correlationId, string? token = null)
    {
        var client = token is null ? _api.CreateClient() : _api.ClientFor(token);
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (correlationId is not null) request.Headers.TryAddWithoutValidation(Header, correlationId);
        return await client.SendAsync(request);
    }

    private static string Echoed(HttpResponseMessage response) =>
        response.Headers.TryGetValues(Header, out var values) ? values.Single() : "(none)";

    [TestCase("/api/v1/workflow", true, HttpStatusCode.OK)]
    [TestCase("/api/v1/workflow", false, HttpStatusCode.Unauthorized)]
    [TestCase("/api/v1/cases/0190c6a6-0000-7000-8000-000000000000", true, HttpStatusCode.NotFound)]
    [TestCase("/health/live", false, HttpStatusCode.OK)]
    public async Task A_valid_incoming_id_is_echoed_on_every_response_problems_included(string url, bool withToken, HttpStatusCode expected)
    {
        var response = await GetAsync(url, "req-2026/11:abc~XYZ", withToken ? Tokens.Officer("PK") : null);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(expected));
            Assert.That(Echoed(response), Is.EqualTo("req-2026/11:abc~XYZ"));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("has space")]
    [TestCase("ünïcode")]
    [TestCase("tab\there")]
    public async Task A_missing_or_invalid_id_is_replaced_by_a_new_one(string? incoming)
    {
        var response = await GetAsync("/api/v1/workflow", incoming, Tokens.Officer("PK"));
        var other = await GetAsync("/api/v1/workflow", incoming, Tokens.Officer("PK"));

        Assert.Multiple(() =>
        {
            Assert.That(Echoed(response), Does.Match("^[0-9a-f]{32}$"));
            Assert.That(Echoed(other), Is.Not.EqualTo(Echoed(response)), "a new id per request");
        });
    }

    [Test]
    public async Task Sixty_four_characters_are_accepted_and_sixty_five_are_not()
    {
        var longest = new string('a', 64);
        var tooLong = new string('a', 65);

        var accepted = await GetAsync("/api/v1/workflow", longest, Tokens.Officer("PK"));
        var replaced = await GetAsync("/api/v1/workflow", tooLong, Tokens.Officer("PK"));

        Assert.Multiple(() =>
        {
            Assert.That(Echoed(accepted), Is.EqualTo(longest));
            Assert.That(Echoed(replaced), Does.Match("^[0-9a-f]{32}$"));
        });
    }
}
