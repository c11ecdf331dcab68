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
    /// mediator, every handler and validator of this assembly, and the behaviors in their fixed order,
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
                if (definition == typeof(IRequestHandler<,>) || definition == typeof(IValidator<>))
                    services.AddTransient(contract, type);
            }
        }

        return services;
    }
}
