using System.Diagnostics.Metrics;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Telemetry;

/// <summary>
/// The service's business metrics, on the meter <see cref="MeterName"/>. Tags carry codes only
/// (countries, triggers, states, clock kinds): never case data, never a person.
/// </summary>
public sealed class CaseMetrics
{
    public const string MeterName = "ExtraditionCases";

    public const string CasesFiled = "extradition.cases.filed";
    public const string Transitions = "extradition.case.transitions";
    public const string DeadlinesMissed = "extradition.deadlines.missed";

    public const string RequestingStateTag = "extradition.requesting_state";
    public const string RequestedStateTag = "extradition.requested_state";
    public const string TriggerTag = "extradition.trigger";
    public const string StateTag = "extradition.state";
    public const string DeadlineKindTag = "extradition.deadline.kind";

    private readonly Counter<long> _filed;
    private readonly Counter<long> _transitions;
    private readonly Counter<long> _missed;

    /// <summary>On the host's meter factory; without one (a container built by hand), on a meter of its own.</summary>
    public CaseMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _filed = meter.CreateCounter<long>(CasesFiled, "{case}", "Cases filed.");
        _transitions = meter.CreateCounter<long>(Transitions, "{transition}",
            "Workflow transitions recorded, by trigger and the state the case is in afterwards.");
        _missed = meter.CreateCounter<long>(DeadlinesMissed, "{deadline}",
            "Statutory clocks recorded as Missed: a transition recorded the step a clock waited for after its due instant.");
    }

    public void CaseFiled(string requestingState, string requestedState) =>
        _filed.Add(1, new KeyValuePair<string, object?>(RequestingStateTag, requestingState), new KeyValuePair<string, object?>(RequestedStateTag, requestedState));

    public void TransitionRecorded(WorkflowTrigger trigger, CaseState state) =>
        _transitions.Add(1, new KeyValuePair<string, object?>(TriggerTag, trigger.ToString()), new KeyValuePair<string, object?>(StateTag, state.ToString()));

    public void DeadlineMissed(DeadlineKind kind) =>
        _missed.Add(1, new KeyValuePair<string, object?>(DeadlineKindTag, kind.ToString()));
}
