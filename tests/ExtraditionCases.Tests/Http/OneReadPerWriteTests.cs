using System.Net;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// A write to an existing case reads its row once: the edge loads it before reading the body (404
/// first) and hands it to the one mediator call, which neither checks access nor loads it again.
/// </summary>
public sealed class OneReadPerWriteTests
{
    private ApiFactory _api = null!;
    private WebApplicationFactory<Program> _host = null!;
    private readonly Reads _reads = new();

    [SetUp]
    public void StartService()
    {
        _api = new ApiFactory();
        _host = _api.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            var store = services.Last(d => d.ServiceType == typeof(ICaseStore));
            services.Remove(store);
            services.AddScoped<ICaseStore>(sp => new CountingCaseStore((ICaseStore)Create(sp, store), _reads));
        }));
    }

    [TearDown]
    public void StopService()
    {
        _host.Dispose();
        _api.Dispose();
    }

    [Test]
    public async Task A_transition_a_patch_and_an_extension_each_read_the_case_once()
    {
        var pk = Client(Tokens.Officer("PK"));
        var gb = Client(Tokens.Officer("GB"));
        var id = (string)(await Cases.FileAsync(pk))["id"]!;

        var counts = new List<int>();
        foreach (var (client, request) in new[]
        {
            (gb, Request(HttpMethod.Post, $"/api/v1/cases/{id}/transitions", "\"1\"", new JsonObject { ["trigger"] = "ProvisionalArrest" })),
            (pk, Request(HttpMethod.Patch, $"/api/v1/cases/{id}", "\"2\"", new JsonObject { ["requestingAuthority"] = "MOI" }, "application/merge-patch+json")),
            (gb, Request(HttpMethod.Post, $"/api/v1/cases/{id}/transitions", "\"3\"",
                new JsonObject { ["trigger"] = "ReceiveFullRequest", ["data"] = new JsonObject { ["certificateReference"] = "HO-70-1" } })),
            // Only clocks a statute lets a court extend can be extended: the hearing clock (ss.75(3), 76(4)).
            (gb, Request(HttpMethod.Post, $"/api/v1/cases/{id}/deadlines/HearingStart/extensions", "\"4\"",
                new JsonObject { ["dueAt"] = "2027-06-01T00:00:00Z", ["orderReference"] = "HC-1" })),
        })
        {
            _reads.Reset();
            var response = await client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            counts.Add(_reads.Count);
        }

        Assert.That(counts, Is.EqualTo(new[] { 1, 1, 1, 1 }), "case rows read per write: transition, patch, transition, extension");
    }

    [Test]
    public async Task A_write_to_a_case_the_caller_may_not_see_is_404_after_one_read_and_before_its_body()
    {
        var id = (string)(await Cases.FileAsync(Client(Tokens.Officer("PK"))))["id"]!;
        _reads.Reset();

        var response = await Client(Tokens.Officer("US")).SendAsync(
            Request(HttpMethod.Post, $"/api/v1/cases/{id}/transitions", "\"1\"", null, body: "{ not json"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "404 before the malformed body's 400");
            Assert.That(_reads.Count, Is.EqualTo(1));
        });
    }

    private HttpClient Client(string token)
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string ifMatch, JsonObject? json, string mediaType = "application/json",
        string? body = null)
    {
        var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(body ?? json!.ToJsonString(), System.Text.Encoding.UTF8, mediaType),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static object Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    private sealed class Reads
    {
        private int _count;

        public int Count => _count;

        public void Add() => Interlocked.Increment(ref _count);

        public void Reset() => _count = 0;
    }

    /// <summary>Counts every read of a case row: the whole case, or only its parties.</summary>
    private sealed class CountingCaseStore(ICaseStore inner, Reads reads) : ICaseStore
    {
        public Task<long> NextReferenceNumberAsync(CancellationToken cancellationToken) => inner.NextReferenceNumberAsync(cancellationToken);

        public Task<LoadedCase?> FindAsync(Guid id, CancellationToken cancellationToken)
        {
            reads.Add();
            return inner.FindAsync(id, cancellationToken);
        }

        public Task<CaseParties?> FindPartiesAsync(Guid id, CancellationToken cancellationToken)
        {
            reads.Add();
            return inner.FindPartiesAsync(id, cancellationToken);
        }

        public Task AddAsync(ExtraditionCase newCase, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken) =>
            inner.AddAsync(newCase, events, cancellationToken);

        public Task SaveAsync(ExtraditionCase changedCase, int expectedVersion, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken) =>
            inner.SaveAsync(changedCase, expectedVersion, events, cancellationToken);

        public Task<IReadOnlyList<ExtraditionCase>> ListAsync(CaseListFilter filter, CancellationToken cancellationToken) =>
            inner.ListAsync(filter, cancellationToken);

        public Task<IReadOnlyList<Guid>> CasesUnderOlderRulesAsync(int limit, CancellationToken cancellationToken) =>
            inner.CasesUnderOlderRulesAsync(limit, cancellationToken);
    }
}
