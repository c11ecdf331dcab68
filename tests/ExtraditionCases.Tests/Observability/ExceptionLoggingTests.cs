using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ExtraditionCases.Tests.Observability;

/// <summary>
/// A server fault is logged once, by the diagnostics middleware that .NET 10 silences for handled
/// exceptions unless told otherwise (we turn it back on for 5xx), and refusals are logged without case data.
/// </summary>
public sealed class ExceptionLoggingTests
{
    private ApiFactory _api = null!;
    private WebApplicationFactory<Program> _host = null!;

    [SetUp]
    public void StartService()
    {
        _api = new ApiFactory();
        _host = _api.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
        {
            services.AddFakeLogging();
            services.RemoveAll<IDatabaseSession>();
            services.AddScoped<IDatabaseSession, BrokenDeadlineReads>();
        }));
    }

    [TearDown]
    public void StopService()
    {
        _host.Dispose();
        _api.Dispose();
    }

    private IReadOnlyList<FakeLogRecord> Logs => _host.Services.GetFakeLogCollector().GetSnapshot();

    private HttpClient ClientFor(string token)
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Test]
    public async Task A_server_fault_is_logged_once_with_its_exception_and_the_trace_id_its_problem_carries()
    {
        var response = await ClientFor(Tokens.Officer("GB")).GetAsync("/api/v1/deadlines");
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var withException = Logs.Where(e => e.Exception is BrokenDeadlineReads.Fault).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(withException.Select(e => (e.Category, e.Level)), Is.EqualTo(new[]
            {
                ("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.Error),
            }), "logged once, by ASP.NET Core's diagnostics, which .NET 10 would skip for a handled exception unless turned back on");
            Assert.That(withException[0].AllText(), Does.Contain((string?)problem!["traceId"]));
            Assert.That(response.Headers.Contains("X-Correlation-Id"), Is.True);
        });
    }

    [Test]
    public async Task A_refused_case_is_logged_by_its_members_never_by_the_values_sent()
    {
        var body = Cases.NewCase();
        body["basis"] = Cases.UrduName;                           // an enum member quoting its value would echo the name
        body["person"]!["fullName"] = Cases.UrduName + "\u0007";  // a control character: invalid
        body["offences"]![0]!["maxPenaltyMonths"] = 5000;        // a range message would quote 5000

        var response = await ClientFor(Tokens.Officer("PK")).PostAsync("/api/v1/cases", Cases.Json(body));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var refusal = Logs.Single(e => e.Category == "ExtraditionCases.Api.Http.ProblemExceptionHandler");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem!["errors"]!.AsObject().Select(p => p.Key), Is.SupersetOf(new[] { "basis", "person.fullName", "offences[0].maxPenaltyMonths" }));
            Assert.That(problem.ToJsonString(), Does.Not.Contain("محسن").And.Not.Contain("\\u0645"), "no message quotes the value sent");
            Assert.That(refusal.Message, Does.Contain("basis").And.Contain("person.fullName"));
            Assert.That(Logs.Select(e => e.AllText()), Has.None.Contains("محسن"));
            Assert.That(Logs.Select(e => e.AllText()), Has.None.Contains("5000"));
        });
    }

    [Test]
    public async Task Trigger_data_members_named_by_the_client_are_not_logged()
    {
        var filed = await Cases.FileAsync(ClientFor(Tokens.Officer("PK")));
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{filed["id"]}/transitions")
        {
            Content = Cases.Json(new JsonObject { ["trigger"] = "ProvisionalArrest", ["data"] = new JsonObject { [Cases.UrduName] = true } }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        var response = await ClientFor(Tokens.Officer("GB")).SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(Logs.Single(e => e.Category == "ExtraditionCases.Api.Http.ProblemExceptionHandler").Message, Does.Contain("data.*"));
            Assert.That(Logs.Select(e => e.AllText()), Has.None.Contains("محسن"));
        });
    }

    /// <summary>
    /// A session whose reads fail: the deadline list's statement never gets to the database. The start-up
    /// step's search-index work list reads as empty, so that the service starts.
    /// </summary>
    private sealed class BrokenDeadlineReads : IDatabaseSession
    {
        public Task BeginAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task BeginBatchAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CommitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RollbackAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<T>> QueryAsync<T>(SqlStatement statement, object? parameters, CancellationToken cancellationToken) =>
            statement == Application.Features.Search.SearchIndex.Sql.Unindexed ? Task.FromResult<IReadOnlyList<T>>([]) : throw new Fault();

        public Task<T?> QuerySingleOrDefaultAsync<T>(SqlStatement statement, object? parameters, CancellationToken cancellationToken) =>
            throw new Fault();

        public Task<int> ExecuteAsync(SqlStatement statement, object? parameters, CancellationToken cancellationToken) =>
            throw new Fault();

        public Task StreamAsync(SqlStatement statement, object? parameters, Action<IStreamedRow> onRow, CancellationToken cancellationToken) =>
            throw new Fault();

        public sealed class Fault() : InvalidOperationException("The deadline store is broken (test).");
    }
}
