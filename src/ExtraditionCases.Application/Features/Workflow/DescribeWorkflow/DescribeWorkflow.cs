using ExtraditionCases.Domain.Workflow;
using MediatR;
using Stateless.Reflection;

namespace ExtraditionCases.Application.Features.Workflow;

/// <summary>The workflow as configured in the case's state machine: documentation that cannot drift.</summary>
public static class DescribeWorkflow
{
    /// <param name="Guard">The full text of every guard, joined with "; " (null when unguarded).</param>
    /// <param name="Guards">The same guards by the short names the diagrams draw, in order.</param>
    public sealed record Transition(CaseState From, WorkflowTrigger Trigger, CaseState To, string? Guard, IReadOnlyList<string> Guards);

    /// <summary>One member of a trigger's <c>data</c>.</summary>
    /// <param name="Type">string, boolean, date-time (an RFC 3339 instant) or enum (one of <paramref name="Values"/>).</param>
    public sealed record DataMember(string Name, string Type, bool Required, int? MaxLength, IReadOnlyList<string>? Values);

    /// <param name="DataSchema">The name of the OpenAPI component schema of this trigger's transition body (its <c>data</c> included).</param>
    public sealed record TriggerData(WorkflowTrigger Trigger, IReadOnlyList<DataMember> Data, string DataSchema);

    public sealed record Description(
        IReadOnlyList<CaseState> States, IReadOnlyList<WorkflowTrigger> Triggers, IReadOnlyList<Transition> Transitions, IReadOnlyList<TriggerData> TriggerData);

    public sealed record Query : IRequest<Description>;

    /// <summary>The machine's own description, read once.</summary>
    internal static readonly Lazy<StateMachineInfo> Info = new(ExtraditionCase.Describe);

    /// <summary>The OpenAPI component that describes a transition body for this trigger (<c>trigger</c>, <c>occurredAt</c>, <c>note</c>, <c>data</c>).</summary>
    public static string TransitionSchemaName(WorkflowTrigger trigger) => $"{trigger}Transition";

    public sealed class Handler : IRequestHandler<Query, Description>
    {
        public Task<Description> Handle(Query request, CancellationToken cancellationToken) => Task.FromResult(Describe());
    }

    public static string Mermaid() => WorkflowGraph.Mermaid();

    public static Description Describe()
    {
        var definitions = ExtraditionCase.TriggerDefinitions.ToList();
        var guardNames = definitions.SelectMany(d => d.Transitions).SelectMany(t => t.Guards)
            .DistinctBy(g => g.Description).ToDictionary(g => g.Description, g => g.Name, StringComparer.Ordinal);
        var criterionNames = definitions.SelectMany(d => d.Transitions).SelectMany(t => t.Possible ?? [])
            .DistinctBy(p => p.Criterion).ToDictionary(p => p.Criterion, p => p.Name, StringComparer.Ordinal);

        var transitions = new List<Transition>();
        foreach (var state in Info.Value.States)
        {
            var from = (CaseState)state.UnderlyingState;
            foreach (var fixedTransition in state.FixedTransitions)
            {
                var guards = fixedTransition.GuardConditionsMethodDescriptions.Select(g => g.Description).Where(d => !string.IsNullOrEmpty(d)).ToList();
                transitions.Add(new Transition(from, (WorkflowTrigger)fixedTransition.Trigger.UnderlyingTrigger,
                    (CaseState)fixedTransition.DestinationState.UnderlyingState, Join(guards), [.. guards.Select(g => guardNames[g])]));
            }

            foreach (var dynamicTransition in state.DynamicTransitions)
            {
                foreach (var possible in dynamicTransition.PossibleDestinationStates)
                {
                    transitions.Add(new Transition(from, (WorkflowTrigger)dynamicTransition.Trigger.UnderlyingTrigger,
                        Enum.Parse<CaseState>(possible.DestinationState), possible.Criterion, [criterionNames[possible.Criterion]]));
                }
            }
        }

        return new Description(
            Enum.GetValues<CaseState>(),
            Enum.GetValues<WorkflowTrigger>(),
            transitions,
            [.. definitions.Select(d => new TriggerData(d.Trigger, [.. d.Data.Select(Member)], TransitionSchemaName(d.Trigger)))]);
    }

    private static DataMember Member(DataField field) => field.Type switch
    {
        DataType.String => new DataMember(field.Name, "string", field.Required, DataField.MaxStringLength, null),
        DataType.Bool => new DataMember(field.Name, "boolean", field.Required, null, null),
        DataType.DateTime => new DataMember(field.Name, "date-time", field.Required, null, null),
        _ => new DataMember(field.Name, "enum", field.Required, null, field.Values),
    };

    private static string? Join(IReadOnlyList<string> guards) => guards.Count == 0 ? null : string.Join("; ", guards);
}
