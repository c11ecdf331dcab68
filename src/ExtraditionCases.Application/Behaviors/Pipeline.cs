using System.Collections.Concurrent;
using ExtraditionCases.Application.Abstractions;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace ExtraditionCases.Application.Behaviors;

/// <summary>
/// The behaviors every request passes through, in their fixed order (outermost first), each with the kinds of
/// request it does something for. MediatR resolved all six for every request and each one that had nothing to
/// do (a query has no transaction, no idempotency key, no clocks to count and often no validator) still cost its
/// construction, its dependencies, a closure and an async step (issue 20: the status poll's fixed cost). Which
/// behaviors apply is decided once per request type; every behavior still checks for itself as before. A new behavior
/// goes into <see cref="Behaviors"/> with its rule: MediatR gets its behaviors from here, not from IPipelineBehavior registrations.
/// </summary>
public static class Pipeline
{
    /// <summary>What a behavior needs to know about a request type to tell whether it applies.</summary>
    public sealed record RequestKind(bool IsCommand, bool IsIdempotent, bool HasValidators);

    /// <summary>Outermost first.</summary>
    public static readonly IReadOnlyList<(Type Behavior, Func<RequestKind, bool> AppliesTo)> Behaviors =
    [
        // One line per request, refusals included: every request.
        (typeof(LoggingBehavior<,>), _ => true),
        // Replays a stored response for a retried key: only requests that can carry one.
        (typeof(IdempotencyBehavior<,>), kind => kind.IsIdempotent),
        // Counts the clocks a command's steps recorded (only command handlers record them: a test holds that).
        // After the replay check, so a replayed response is not counted as a second filing.
        (typeof(MetricsBehavior<,>), kind => kind.IsCommand),
        (typeof(ValidationBehavior<,>), kind => kind.HasValidators),
        (typeof(TransactionBehavior<,>), kind => kind.IsCommand),
        (typeof(IdempotencyRecordBehavior<,>), kind => kind.IsIdempotent),
    ];

    /// <summary>The kind of <paramref name="request"/>, read from its type and the validators registered for it.</summary>
    public static RequestKind KindOf(Type request, IServiceProviderIsService services) => new(
        request.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>)),
        typeof(IIdempotentCommand).IsAssignableFrom(request),
        services.IsService(typeof(IValidator<>).MakeGenericType(request)));

    /// <summary>Registers the behaviors (as themselves: MediatR gets them through <see cref="Factory"/>).</summary>
    public static IServiceCollection AddPipeline(this IServiceCollection services)
    {
        foreach (var (behavior, _) in Behaviors) services.AddTransient(behavior);
        services.AddSingleton<Plans>();
        services.AddScoped<ServiceFactory>(sp => Factory(sp, sp.GetRequiredService<Plans>()));
        return services;
    }

    /// <summary>
    /// MediatR's service factory: the request's applicable behaviors for its pipeline, anything else (handlers)
    /// from the container as before.
    /// </summary>
    private static ServiceFactory Factory(IServiceProvider services, Plans plans) => type =>
        plans.For(type) is { } plan ? plan(services) : services.GetService(type)!;

    /// <summary>Per <c>IEnumerable&lt;IPipelineBehavior&lt;TRequest, TResponse&gt;&gt;</c>: how to make its applicable behaviors, or null for any other type.</summary>
    internal sealed class Plans(IServiceProviderIsService registrations)
    {
        private readonly ConcurrentDictionary<Type, Func<IServiceProvider, object>?> _plans = new();

        public Func<IServiceProvider, object>? For(Type type) => _plans.GetOrAdd(type, Make, registrations);

        private static Func<IServiceProvider, object>? Make(Type type, IServiceProviderIsService registrations)
        {
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IEnumerable<>)) return null;
            var element = type.GetGenericArguments()[0];
            if (!element.IsGenericType || element.GetGenericTypeDefinition() != typeof(IPipelineBehavior<,>)) return null;
            var arguments = element.GetGenericArguments();
            var kind = KindOf(arguments[0], registrations);
            var applicable = Behaviors.Where(b => b.AppliesTo(kind)).Select(b => b.Behavior.MakeGenericType(arguments)).ToArray();
            return (Func<IServiceProvider, object>)((Func<Type[], Func<IServiceProvider, object>>)Resolver<object, object>).Method
                .GetGenericMethodDefinition().MakeGenericMethod(arguments).Invoke(null, [applicable])!;
        }

        private static Func<IServiceProvider, object> Resolver<TRequest, TResponse>(Type[] applicable) => services =>
        {
            var behaviors = new IPipelineBehavior<TRequest, TResponse>[applicable.Length];
            for (var i = 0; i < applicable.Length; i++) behaviors[i] = (IPipelineBehavior<TRequest, TResponse>)services.GetRequiredService(applicable[i]);
            return behaviors;
        };
    }
}
