using ExtraditionCases.Domain.Deadlines;

namespace ExtraditionCases.Domain.Workflow;

/// <summary>
/// The argument every parameterised trigger carries into its guards. A probe asks "could this be
/// fired now?" for allowedActions: guards that need trigger data pass, the others are evaluated.
/// </summary>
public sealed record TransitionContext(DateTimeOffset OccurredAt, string? Note, TriggerData Data, bool IsProbe = false)
{
    public static TransitionContext Probe(DateTimeOffset now) => new(now, null, TriggerData.Empty, IsProbe: true);
}

/// <summary>
/// What the workflow remembers between transitions for the guards that look back. Immutable: each
/// trigger's definition says what it records, and the case replaces its facts with the result.
/// </summary>
public sealed record WorkflowFacts
{
    /// <summary>occurredAt of the latest CaseFiled or Transitioned event: the time-order floor.</summary>
    public DateTimeOffset LastOccurredAt { get; init; }
    /// <summary>The person consented (s.127), before the judge or to the Secretary of State: it bars the appeal.</summary>
    public bool ConsentRecorded { get; init; }
    /// <summary>The request was certified (s.70): by Certify, or with the full request after a provisional arrest (s.74).</summary>
    public bool Certified { get; init; }
    /// <summary>Consent given before the case was sent to the Secretary of State: only this lifts the speciality bar (s.95(2)).</summary>
    public bool ConsentBeforeSending { get; init; }
    public Appellant? PendingAppeal { get; init; }
    public bool AppealDismissed { get; init; }
    public DateTimeOffset? DischargedAt { get; init; }
    /// <summary>
    /// A competing request for the person was detected (s.126 of the 2003 Act; s.14 of the 1972 Act): an
    /// officer of the requested state confirmed a link to another open case with the same requested state
    /// and a different requesting state. Only then may the decision be deferred on that ground.
    /// </summary>
    public bool CompetingRequest { get; init; }
    /// <summary>
    /// No longer read or written: the requesting state's appeal reads its RequestingStateAppealWindow
    /// clock (GB rules only, ss.105, 110). Kept so that facts stored under rules version 1 still load.
    /// </summary>
    public DateTimeOffset? RequestingStateMayAppealUntil { get; init; }
    /// <summary>Where an allowed requesting-state appeal sends the case back to (ss.106, 111).</summary>
    public CaseState? DischargingStage { get; init; }
}

/// <summary>
/// A change the aggregate recorded; the application layer adds who, where, data and the hash.
/// <see cref="Clocks"/> is what a transition did to the statutory clocks (null for other changes).
/// </summary>
public sealed record CaseChange(
    string Type,
    WorkflowTrigger? Trigger,
    CaseState? FromState,
    CaseState? ToState,
    DateTimeOffset OccurredAt,
    string? Note,
    ClockReport? Clocks = null)
{
    public const string CaseFiled = nameof(CaseFiled);
    public const string CaseUpdated = nameof(CaseUpdated);
    public const string Transitioned = nameof(Transitioned);
    public const string DeadlineExtended = nameof(DeadlineExtended);
    public const string DocumentAdded = nameof(DocumentAdded);
    public const string NoteRecorded = nameof(NoteRecorded);
    public const string AssigneeChanged = nameof(AssigneeChanged);
    public const string CaseLinked = nameof(CaseLinked);
    public const string CompetingRequestDetected = nameof(CompetingRequestDetected);

    /// <summary>
    /// The event types recorded so far. The set grows with features (documents, notes, ...): each adds its
    /// types here, and clients must accept types they do not know.
    /// </summary>
    public static IReadOnlyList<string> KnownTypes { get; } = [CaseFiled, CaseUpdated, Transitioned, DeadlineExtended, DocumentAdded, NoteRecorded, ExtraditionCase.RulesApplied,
        AssigneeChanged, CaseLinked, CompetingRequestDetected];
}
