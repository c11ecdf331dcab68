using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Telemetry;
using ExtraditionCases.Domain.Workflow;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExtraditionCases.Application.Behaviors;

/// <summary>
/// Counts what the business watches, after a command succeeded (it runs outside the transaction, so
/// a refused or rolled-back command counts nothing): cases filed, transitions by trigger, and the
/// clocks those transitions recorded as Missed. Reads only codes from the command and its result.
/// </summary>
public sealed class MetricsBehavior<TRequest, TResponse>(CaseMetrics metrics, ClockOutcomes clocks) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        clocks.Clear();
        var response = await next();

        switch (request, response)
        {
            case (FileCase.Command, CaseView filed):
                metrics.CaseFiled(filed.RequestingState, filed.RequestedState);
                break;
            case (RecordTransition.Command command, CaseView view) when Enum.TryParse<WorkflowTrigger>(command.Body.Trigger, out var trigger):
                metrics.TransitionRecorded(trigger, view.State);
                break;
        }

        foreach (var kind in clocks.Missed) metrics.DeadlineMissed(kind);
        clocks.Clear();
        return response;
    }
}

public static class MetricsBehaviorRegistration
{
    /// <summary>
    /// Registers <see cref="MetricsBehavior{TRequest, TResponse}"/> at this point of the pipeline,
    /// with the meter it records to and the per-request clock outcomes it reads.
    /// </summary>
    public static IServiceCollection AddMetricsBehavior(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new CaseMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddScoped<ClockOutcomes>();
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(MetricsBehavior<,>));
        return services;
    }
}
