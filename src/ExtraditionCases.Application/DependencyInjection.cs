using ExtraditionCases.Application.Behaviors;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExtraditionCases.Application;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5 wired by hand (its DI package is not available here): the service factory, the
    /// mediator, every handler (per request) and validator (once) of this assembly, and the behaviors in their fixed order,
    /// outermost first: logging, idempotent replay, metrics, validation, transaction, idempotency record
    /// (<see cref="Pipeline"/>: each resolved only for the kinds of request it does something for).
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        // Messages name members as clients write them (camelCase), not as C# does.
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(member.Name);

        services.TryAddSingleton(Features.Cases.AgencyPowers.Unconfigured);
        services.TryAddSingleton(new Features.Documents.DocumentOptions());
        services.AddScoped<Features.Cases.ApplyCorrectedRules>();
        services.AddSingleton<Features.Cases.PatchCase.MergedFileValidators>();
        services.AddScoped<Features.Search.IndexCases>();
        services.AddScoped<IMediator, Mediator>();

        // The behaviors in their fixed order (Pipeline.Behaviors), each only for the requests it applies to.
        services.AddMetricsBehavior();
        services.AddPipeline();

        foreach (var type in typeof(DependencyInjection).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
        {
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType))
            {
                var definition = contract.GetGenericTypeDefinition();
                if (definition == typeof(IRequestHandler<,>)) services.AddTransient(contract, type);
                // Validators once per process: building one compiles every rule's expression tree (the case file's
                // validator, some 500 µs of CPU, was most of what a filing cost over the bare baseline; issue 20, tenth
                // round). Their rules keep no state and their dependencies are singletons (TimeProvider, WebhookOptions),
                // and FluentValidation's validators are safe to share once built.
                if (definition == typeof(IValidator<>)) services.AddSingleton(contract, type);
            }
        }

        return services;
    }
}
