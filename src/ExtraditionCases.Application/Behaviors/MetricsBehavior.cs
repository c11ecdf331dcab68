using ExtraditionCases.Application.Telemetry;
using ExtraditionCases.Domain.Workflow;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExtraditionCases.Application.Behaviors;

/// <summary>
/// Counts what the business watches, after a command succeeded (it runs outside the transaction, so
/// a refused or rolled-back command counts nothing): cases filed, transitions by trigger, and the
/// clocks those transitions recorded as Missed. Reads only codes, from the changes the command's
/// cases recorded and the clock reports of their steps.
/// </summary>
public sealed class MetricsBehavior<TRequest, TResponse>(CaseMetrics metrics, ClockOutcomes clocks) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        clocks.Clear();
        var response = await next();

        foreach (var (requestingState, requestedState, change) in clocks.Recorded)
        {
            if (change.Type == CaseChange.CaseFiled) metrics.CaseFiled(requestingState, requestedState);
            if (change is { Type: CaseChange.Transitioned, Trigger: { } trigger, ToState: { } state }) metrics.TransitionRecorded(trigger, state);
            foreach (var kind in change.Clocks?.Missed ?? []) metrics.DeadlineMissed(kind);
        }

        clocks.Clear();
        return response;
    }
}

public static class MetricsBehaviorRegistration
{
    /// <summary>
    /// What <see cref="MetricsBehavior{TRequest, TResponse}"/> needs: the meter it records to and the per-request
    /// clock outcomes it reads. Its place in the pipeline is <see cref="Pipeline.Behaviors"/>.
    /// </summary>
    public static IServiceCollection AddMetricsBehavior(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new CaseMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddScoped<ClockOutcomes>();
        return services;
    }
}
