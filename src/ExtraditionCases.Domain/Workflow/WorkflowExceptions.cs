namespace ExtraditionCases.Domain.Workflow;

/// <summary>A request the workflow refuses. Each kind maps to one HTTP status at the edge.</summary>
public abstract class WorkflowException(string message) : Exception(message);

/// <summary>The current state permits no such trigger (409).</summary>
public sealed class TriggerNotPermittedException(WorkflowTrigger trigger, CaseState state, IReadOnlyList<WorkflowTrigger> allowedActions)
    : WorkflowException($"{trigger} is not permitted while the case is {state}.")
{
    public IReadOnlyList<WorkflowTrigger> AllowedActions { get; } = allowedActions;
}

/// <summary>The trigger is permitted, but not for this officer's state to fire (403).</summary>
public sealed class TriggerNotYoursException(WorkflowTrigger trigger, CaseSide side)
    : WorkflowException($"{trigger} is recorded by the other state's officers, not the {side.ToString().ToLowerInvariant()} state's.");

/// <summary>Permitted, but a guard or a time-order rule fails (422).</summary>
public sealed class GuardsUnmetException(string message, IReadOnlyList<string> unmetGuards) : WorkflowException(message)
{
    public IReadOnlyList<string> UnmetGuards { get; } = unmetGuards;
}

/// <summary>The case or clock is in no state to accept the change (409).</summary>
public sealed class WorkflowConflictException(string message) : WorkflowException(message);
