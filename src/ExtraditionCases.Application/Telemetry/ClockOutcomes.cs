using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Telemetry;

/// <summary>
/// What the current request's writes recorded (each change with the clock report its step returned),
/// collected by the handlers that change a case and counted by
/// <see cref="Behaviors.MetricsBehavior{TRequest, TResponse}"/> only once the command has succeeded
/// (its transaction committed). One per request scope.
/// </summary>
public sealed class ClockOutcomes
{
    private readonly List<(string RequestingState, string RequestedState, CaseChange Change)> _recorded = [];

    public IReadOnlyList<(string RequestingState, string RequestedState, CaseChange Change)> Recorded => _recorded;

    /// <summary>Takes the changes a case recorded since it was loaded, once it is saved.</summary>
    public void Add(ExtraditionCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        foreach (var change in c.Changes) _recorded.Add((c.File.RequestingState, c.File.RequestedState, change));
    }

    internal void Clear() => _recorded.Clear();
}
