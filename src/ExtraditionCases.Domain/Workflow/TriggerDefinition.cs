using ExtraditionCases.Domain.Deadlines;

namespace ExtraditionCases.Domain.Workflow;

/// <summary>A guard: the text a 422 names when it fails (citing its statute), and the check.</summary>
public sealed record TriggerGuard(string Description, Func<ExtraditionCase, TransitionContext, bool> Check)
{
    /// <param name="name">A short identifier, drawn in the diagrams, where the full text would not fit.</param>
    public TriggerGuard(string name, string description, Func<ExtraditionCase, TransitionContext, bool> check)
        : this(description, check) => Name = name;

    /// <summary>The guard's short name (diagrams); <see cref="Description"/> is its full text (the workflow description, 422s).</summary>
    public string Name { get; init; } = "";
}

/// <summary>
/// Where a trigger leads from some states: a fixed destination, the same state (an internal
/// transition), or a destination chosen from the case's facts among the documented possibilities
/// (each with a short name for the diagrams and its full criterion).
/// </summary>
public sealed record TriggerTransition(
    IReadOnlyList<CaseState> From,
    CaseState? To,
    IReadOnlyList<TriggerGuard> Guards,
    Func<ExtraditionCase, CaseState>? Destination = null,
    IReadOnlyList<(CaseState State, string Name, string Criterion)>? Possible = null)
{
    public bool IsInternal => To is null && Destination is null;
}

/// <summary>A step as it was fired: from where to where, with what, the facts as they were before it, under which law.</summary>
public sealed record FiredStep(CaseState From, CaseState To, TransitionContext Context, WorkflowFacts Before, ClockRules Rules)
{
    public TriggerData Data => Context.Data;
}

/// <summary>
/// Everything about one trigger in one place: the data it takes, the side whose officers fire it, where
/// it leads and under which guards, the facts it records for later guards, and what it does to the
/// statutory clocks (the periods and statutes are <see cref="ClockRules"/>' table).
/// </summary>
public sealed record TriggerDefinition(WorkflowTrigger Trigger)
{
    public IReadOnlyList<DataField> Data { get; init; } = [];

    /// <summary>The side whose officers fire it in a given state; null when either side's may.</summary>
    public Func<CaseState, CaseSide?> FiredBy { get; init; } = _ => CaseSide.Requested;

    public IReadOnlyList<TriggerTransition> Transitions { get; init; } = [];

    /// <summary>The facts after the step, from the facts before it.</summary>
    public Func<WorkflowFacts, FiredStep, WorkflowFacts> Records { get; init; } = (facts, _) => facts;

    /// <summary>The clocks it starts, meets and cancels, under the case's law.</summary>
    public Action<ClockBook, FiredStep> Clocks { get; init; } = (_, _) => { };
}
