using System.Net;
using ExtraditionCases.Application;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Behaviors;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Partners;
using ExtraditionCases.Application.Features.Search;
using ExtraditionCases.Application.Telemetry;
using ExtraditionCases.Tests.Support;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace ExtraditionCases.Tests.Validation;

/// <summary>
/// Each MediatR behavior is resolved only for the kinds of request it does something for (issue 20): a query
/// passes through logging (and validation when it has a validator), a write through every behavior in the fixed
/// order. The skipped ones would have done nothing: these tests hold the facts that makes true.
/// </summary>
public sealed class PipelineTests
{
    private static ApiFactory _api = null!;

    [OneTimeSetUp]
    public void Start() => _api = new ApiFactory();

    [OneTimeTearDown]
    public async Task Stop() => await _api.DisposeAsync();

    private static async Task<Type[]> BehaviorsOf<TRequest, TResponse>()
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<ServiceFactory>();
        return [.. ((IEnumerable<IPipelineBehavior<TRequest, TResponse>>)factory(typeof(IEnumerable<IPipelineBehavior<TRequest, TResponse>>)))
            .Select(b => b.GetType().GetGenericTypeDefinition())];
    }

    [Test]
    public async Task An_idempotent_write_passes_through_every_behavior_in_the_fixed_order()
    {
        Assert.That(await BehaviorsOf<FileCase.Command, CaseView>(), Is.EqualTo(new[]
        {
            typeof(LoggingBehavior<,>), typeof(IdempotencyBehavior<,>), typeof(MetricsBehavior<,>),
            typeof(ValidationBehavior<,>), typeof(TransactionBehavior<,>), typeof(IdempotencyRecordBehavior<,>),
        }));
    }

    [Test]
    public async Task A_write_without_a_key_or_a_validator_still_runs_in_its_transaction_and_is_counted()
    {
        Assert.That(await BehaviorsOf<ErasePrivate.Command, ErasePrivate.Result>(), Is.EqualTo(new[]
        {
            typeof(LoggingBehavior<,>), typeof(MetricsBehavior<,>), typeof(TransactionBehavior<,>),
        }));
    }

    [Test]
    public async Task A_read_passes_through_logging_and_validation_only_when_it_has_a_validator()
    {
        var status = await BehaviorsOf<GetCaseStatus.Query, GetCaseStatus.Result>();
        var search = await BehaviorsOf<SearchCases.Query, SearchCases.SearchPage>();
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(new[] { typeof(LoggingBehavior<,>) }));
            Assert.That(search, Is.EqualTo(new[] { typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>) }));
        });
    }

    [Test]
    public async Task Validators_are_built_once_and_shared_by_every_request()
    {
        // Building the case file's validator compiles every rule's expression tree: per request it was most of what a
        // filing cost over the bare baseline (issue 20, tenth round).
        FluentValidation.IValidator<FileCase.Command>[] first, second;
        await using (var scope = _api.Services.CreateAsyncScope()) first = [.. scope.ServiceProvider.GetServices<FluentValidation.IValidator<FileCase.Command>>()];
        await using (var scope = _api.Services.CreateAsyncScope()) second = [.. scope.ServiceProvider.GetServices<FluentValidation.IValidator<FileCase.Command>>()];

        Assert.Multiple(() =>
        {
            Assert.That(first, Has.Length.EqualTo(1));
            Assert.That(second.Single(), Is.SameAs(first.Single()), "the same instance in every scope");
        });
    }

    [Test]
    public async Task A_shared_validator_judges_concurrent_requests_each_on_its_own()
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var validator = scope.ServiceProvider.GetServices<FluentValidation.IValidator<SearchCases.Query>>().Single();
        var officer = new Caller("officer-1-PK", Caller.Officer, "PK", "MOI", Tokens.Issuer);
        var good = new SearchCases.Query(officer, "Mohsin Ali", 20, null);
        var bad = new SearchCases.Query(officer, "", 20, null);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            (Valid: i % 2 == 0, Result: await validator.ValidateAsync(i % 2 == 0 ? good : bad)))));

        Assert.That(results.Select(r => r.Result.IsValid), Is.EqualTo(results.Select(r => r.Valid)));
    }

    [Test]
    public async Task The_handlers_are_still_resolved_from_the_container()
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<ServiceFactory>();
        Assert.That(factory(typeof(IRequestHandler<GetCaseStatus.Query, GetCaseStatus.Result>)), Is.InstanceOf<GetCaseStatus.Handler>());
    }

    /// <summary>What makes skipping a behavior for a request type safe: it could have found nothing to do there.</summary>
    [Test]
    public void Only_commands_record_clock_outcomes_or_carry_idempotency_keys()
    {
        var requests = typeof(DependencyInjection).Assembly.GetTypes()
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequest<>)))
            .ToList();
        var handlers = typeof(DependencyInjection).Assembly.GetTypes()
            .SelectMany(t => t.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)).Select(i => (Handler: t, Request: i.GetGenericArguments()[0])))
            .ToList();
        bool IsCommand(Type t) => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>));

        Assert.Multiple(() =>
        {
            Assert.That(requests, Has.Count.GreaterThan(20));
            foreach (var request in requests.Where(typeof(IIdempotentCommand).IsAssignableFrom))
                Assert.That(IsCommand(request), request.FullName);
            foreach (var (handler, request) in handlers.Where(h => h.Handler.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(ClockOutcomes)))))
                Assert.That(IsCommand(request), $"{handler.FullName} records clock outcomes, which only a command's metrics read");
        });
    }

    [Test]
    public async Task Over_HTTP_a_read_with_a_validator_is_still_refused_and_a_retried_write_is_still_replayed()
    {
        var search = await _api.ClientFor(Tokens.Officer("PK")).GetAsync("/api/v1/search?q=" + new string('a', 2000));
        Assert.That(search.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        var client = _api.ClientFor(Tokens.Officer("PK", "officer-pipeline"));
        async Task<HttpResponseMessage> File()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = Cases.Json(Cases.NewCase()) };
            request.Headers.Add("Idempotency-Key", "pipeline-key-1");
            return await client.SendAsync(request);
        }

        var first = await File();
        var retry = await File();
        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location), "the retry is the first filing, replayed");
        });
    }
}
