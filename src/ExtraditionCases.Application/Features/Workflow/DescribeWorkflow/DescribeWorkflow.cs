using ExtraditionCases.Domain.Workflow;
using MediatR;
using Stateless.Graph;
using Stateless.Reflection;

namespace ExtraditionCases.Application.Features.Workflow;

/// <summary>The workflow as configured in the case's state machine: documentation that cannot drift.</summary>
public static class DescribeWorkflow
{
    public sealed record Transition(string From, string Trigger, string To, string? Guard);

    public sealed record Description(IReadOnlyList<string> States, IReadOnlyList<string> Triggers, IReadOnlyList<Transition> Transitions);

    public sealed record Query : IRequest<Description>;

    /// <summary>The machine's own description, read once.</summary>
    internal static readonly Lazy<StateMachineInfo> Info = new(ExtraditionCase.Describe);

    public sealed class Handler : IRequestHandler<Query, Description>
    {
        public Task<Description> Handle(Query request, CancellationToken cancellationToken) => Task.FromResult(Describe());
    }

    public static string Mermaid() => MermaidGraph.Format(Info.Value);

    public static Description Describe()
    {
        var transitions = new List<Transition>();
        foreach (var state in Info.Value.States)
        {
            var from = state.UnderlyingState.ToString()!;
            foreach (var fixedTransition in state.FixedTransitions)
            {
                transitions.Add(new Transition(from, fixedTransition.Trigger.UnderlyingTrigger.ToString()!,
                    fixedTransition.DestinationState.UnderlyingState.ToString()!, NullIfEmpty(fixedTransition.GuardConditionsMethodDescriptions)));
            }

            foreach (var dynamicTransition in state.DynamicTransitions)
            {
                foreach (var possible in dynamicTransition.PossibleDestinationStates)
                {
                    transitions.Add(new Transition(from, dynamicTransition.Trigger.UnderlyingTrigger.ToString()!, possible.DestinationState,
                        possible.Criterion));
                }
            }
        }

        return new Description(
            [.. Enum.GetNames<CaseState>()],
            [.. Enum.GetNames<WorkflowTrigger>()],
            transitions);
    }

    private static string? NullIfEmpty(IEnumerable<InvocationInfo> guards)
    {
        var text = string.Join("; ", guards.Select(g => g.Description).Where(d => !string.IsNullOrEmpty(d)));
        return text.Length == 0 ? null : text;
    }
}
